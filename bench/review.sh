#!/usr/bin/env bash
# review.sh — issue 9's figures (reviewing changes), in one run:
#   history   bench/history.sh: data-file growth of 1,000 one-paragraph edits
#             of a 20 KB page (aim ≤ 1.5 MB) and the p50/p99 time to read
#             each revision (aim p99 ≤ 2 ms);
#   words     the word diff of two 20 KB revisions three words apart, on the
#             corpus's prose (aim < 10 ms) and on generated French;
#   rendered  the rendered diff of two 20 KB revisions (aim < 30 ms) and the
#             whole diff page in each view;
#   feeds     a feed of 50 entries with their word diffs as HTML;
#   view      the page view in process (BenchmarkServer_ViewPage/html): run it
#             at two commits to compare (bench/read.sh BIN=… does the same
#             over HTTP).
# Go benchmarks report cpu-ns/op beside ns/op where they can: on a loaded
# machine the wall time is mostly the wait for a core.
#
# Usage: bench/review.sh [CORPUS_DIR]
#   CORPUS_DIR  French Markdown (default ../shared/corpus next to the
#               repository); read at run time only, never copied here.
# Environment: COUNT (3) runs of each Go benchmark; SKIP_HISTORY=1 skips
#   the (longer) history part.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=$(cd "${1:-$root/../shared/corpus}" && pwd)
count=${COUNT:-3}
cd "$root"

if [ "${SKIP_HISTORY:-}" != 1 ]; then
	echo "== history: bench/history.sh $corpus"
	bash bench/history.sh "$corpus"
fi
echo "== words: go test -bench 'Differ_WordsCorpus|Differ_Words/20KB' ./wiki/textdiff"
CLUBWIKI_CORPUS=$corpus go test -run '^$' -bench 'Differ_WordsCorpus|Differ_Words/20KB' -benchmem -count "$count" ./wiki/textdiff | grep -E '^Benchmark'
echo "== rendered, diff page, page view: go test -bench 'Service_RenderDiff|UI_DiffPage|Server_ViewPage/html' ./wiki/web"
go test -run '^$' -bench 'Service_RenderDiff|UI_DiffPage|Server_ViewPage/html' -benchmem -count "$count" ./wiki/web | grep -E '^Benchmark'
echo "== feeds: go test -bench Feed_Entries ./wiki"
go test -run '^$' -bench 'Feed_Entries' -benchmem -count "$count" ./wiki | grep -E '^Benchmark'
