#!/usr/bin/env bash
# memory.sh — the memory test of issue 8: the server indexes 20,000
# imported pages itself, then readers read (JSON and HTML), save and search
# for a minute; its resident memory (VmRSS from /proc, not the Go heap) is
# sampled all along. PASS when it stays under 100 MB from the end of
# indexing to the end of the load.
#
# Usage: bench/memory.sh [CORPUS_DIR] [flags of go run ./bench/load -memory]
#   e.g. bench/memory.sh ../shared/corpus -duration 30s -serve-args "--cache-size 16MiB"
# Without CORPUS_DIR, pages are made of the sentences of ../shared/corpus
# next to the repository when it is there, else of a built-in generator;
# the corpus is read at run time, never copied.
# Exit status: 0 PASS, 1 FAIL, 2 the test itself could not run.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=auto
if [[ $# -gt 0 && $1 != -* ]]; then
	corpus=$(cd "$1" && pwd)
	shift
fi
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/load" ./bench/load
go build -o "$tmp/clubwiki" ./cmd/clubwiki
"$tmp/load" -memory -bin "$tmp/clubwiki" -corpus "$corpus" "$@"
