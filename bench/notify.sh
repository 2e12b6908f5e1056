#!/usr/bin/env bash
# notify.sh — does the e-mail notifier keep up with 100 saves per second?
# Builds clubwiki, starts `clubwiki serve` against a local SMTP sink with
# members watching a namespace (immediate mail, --notify-delay 0), saves
# new pages at RATE per second for DURATION through the API, and reports
# the lag from each save's answer to the mail carrying it being accepted
# by the sink (p50/p99). It fails when a notification never arrives.
#
# Usage: bench/notify.sh
# Environment: RATE (100), DURATION (30s), SUBSCRIBERS (10).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"
go build -o "$tmp/clubwiki" ./cmd/clubwiki
go run ./bench/notify -bin "$tmp/clubwiki" -rate "${RATE:-100}" -duration "${DURATION:-30s}" -subscribers "${SUBSCRIBERS:-10}"
