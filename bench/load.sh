#!/usr/bin/env bash
# load.sh — the load test of issue 7: attackers send the worst searches,
# previews and diffs while one member reads pages and saves; PASS when the
# member's reads and saves keep a p99 under 1 s, the server stays under
# 300 MB of resident memory and is back under 100 MB within 30 s after.
#
# Usage: bench/load.sh [flags of go run ./bench/load]
#   e.g. bench/load.sh -clients 8 -duration 5s   (a short run)
# Without -corpus, pages are made of the sentences of ../shared/corpus next
# to the repository when it is there, else of a built-in generator.
# Exit status: 0 PASS, 1 FAIL, 2 the test itself could not run.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/load" ./bench/load
go build -o "$tmp/clubwiki" ./cmd/clubwiki
"$tmp/load" -bin "$tmp/clubwiki" "$@"
