#!/usr/bin/env bash
# move.sh — a move of a page that 200 other pages link to: their 200 texts
# read, rendered and rewritten, and one store transaction with fsync that
# moves the history and writes 201 revisions. Aim: under 2 s.
# Prints wall time (ns/op) and the process's CPU time (cpu-ns/op), which on
# a shared machine says more than the wall time.
#
# Usage: bench/move.sh   Environment: COUNT (3), TIMES (5).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec go test -run '^$' -bench 'BenchmarkService_Move200Backlinks' -benchtime "${TIMES:-5}x" -count "${COUNT:-3}" ./wiki
