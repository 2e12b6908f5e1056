#!/usr/bin/env bash
# history.sh — what a page's history costs, in two figures:
#   growth  bytes 1,000 one-paragraph edits of a 20 KB French page add to the
#           data file (on disk, and in bbolt pages below the high-water mark);
#   reads   p50/p99 of reading every one of the 1,001 revisions, cold (first
#           pass after opening the file) and warm.
# Targets: growth at most 1.5 MB; no revision slower than 2 ms at p99.
#
# Usage: bench/history.sh [CORPUS_DIR]
#   CORPUS_DIR  French Markdown to take sentences from (default ../shared/corpus
#               next to the repository); read at run time only, never copied
#               into the repository. Without it, generated French is used.
# Environment: EDITS (1000), PAGE_BYTES (20480), PASSES (5).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${1:-$root/../shared/corpus}

cd "$root"
exec go run ./bench/history -corpus "$corpus" -edits "${EDITS:-1000}" \
	-page-bytes "${PAGE_BYTES:-20480}" -passes "${PASSES:-5}"
