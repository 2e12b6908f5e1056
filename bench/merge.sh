#!/usr/bin/env bash
# merge.sh — what merging a save onto a page that moved on costs: two 20 KB
# revisions of a French page with 10 changes each, in different sentences
# of the same paragraphs (each paragraph merged by words) and in different
# paragraphs (merged by lines). Aim: under 20 ms.
#
# Usage: bench/merge.sh
# Environment: COUNT (5).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
exec go test -run '^$' -bench 'BenchmarkDiffer_MergeWords' -benchmem -count "${COUNT:-5}" ./wiki/textdiff
