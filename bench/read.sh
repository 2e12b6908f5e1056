#!/usr/bin/env bash
# read.sh — how fast is a ~20 KB French page read, three ways, in one run:
#   static  a plain Go static server sending the exact bytes of the API answer;
#   api     GET /api/pages/{path} with a Bearer token;
#   html    GET /wiki/{path}, the page view, with a session cookie.
# Targets: api at least 0.50 of static; html at least 0.50 of api.
#
# Usage: bench/read.sh [CORPUS_DIR]
#   CORPUS_DIR  French Markdown to build the page from (default ../shared/corpus
#               next to the repository); read at run time only, never copied
#               into the repository. Without it, a built-in generator writes
#               the page.
# Environment: DURATION (10s), THREADS (2), CONNECTIONS (32), PAGE_BYTES (20000),
#   BIN (a clubwiki binary to measure instead of building this tree's, e.g.
#   one built from an older commit, to compare the two in turn).
# Besides wrk's figures it prints the CPU time the server spent per request
# of each kind (from /proc), which a loaded machine inflates far less than
# wall-clock figures.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${1:-$root/../shared/corpus}
duration=${DURATION:-10s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
page_bytes=${PAGE_BYTES:-20000}
page=usages/banc-d-essai-lecture
password=banc-d-essai-solide

for tool in wrk curl go; do
	if ! command -v "$tool" >/dev/null; then
		echo "read.sh: $tool is missing; install it first (Debian: apt-get install -y $tool)" >&2
		exit 1
	fi
done

tmp=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# wait_url FILE PATTERN: prints the first URL matching PATTERN written in FILE
# by a server starting in the background.
wait_url() {
	local url
	for _ in $(seq 100); do
		url=$(grep -o "$2" "$1" | head -n1 | sed 's|/$||') || true
		if [ -n "$url" ]; then
			echo "$url"
			return
		fi
		sleep 0.1
	done
	echo "read.sh: the server did not start; its output:" >&2
	cat "$1" >&2
	exit 1
}

# french_text prints about $page_bytes bytes of French Markdown.
french_text() {
	echo "# Banc d'essai de lecture"
	echo
	if [ -d "$corpus" ]; then
		# Prose paragraphs only (no headings, lists, tables, code, HTML or
		# front matter), skipping the English dnl folders.
		find "$corpus" -name '*.md' ! -path '*/dnl2*' ! -name README.md -print0 | sort -z |
			xargs -0 cat | tr -d '\r' |
			LC_ALL=C awk -v max="$page_bytes" 'BEGIN { RS = ""; n = 0 }
				# Reads to the end rather than exit: an early exit would
				# kill cat with SIGPIPE, which pipefail reports.
				n < max && /^[A-Za-z]/ && !/```|<|\|/ && length($0) > 120 && / (le|la|les|des|est) / {
					print $0 "\n"; n += length($0) + 2
				}'
	else
		local sentences=(
			"Le club des utilisateurs partage ses retours sur l'espace numérique de travail."
			"Chaque établissement désigne un référent qui recueille les demandes des enseignants."
			"Les familles consultent les notes, le cahier de textes et la messagerie depuis leur téléphone."
			"Une panne du service d'authentification empêche parfois la connexion le lundi matin."
			"Le marché d'hébergement prévoit des pénalités lorsque la disponibilité baisse."
			"Les connecteurs vers les ressources éditoriales demandent une fédération d'identités."
			"La formation des nouveaux personnels a lieu pendant la semaine de pré-rentrée."
		)
		local n=0 i=0 line
		while [ "$n" -lt "$page_bytes" ]; do
			if [ $((i % 20)) -eq 0 ]; then
				line="## Partie $((i / 20 + 1))"$'\n'
			else
				line="${sentences[$((i % ${#sentences[@]}))]} (paragraphe $i)"$'\n'
			fi
			printf '%s\n' "$line"
			n=$((n + ${#line} + 1))
			i=$((i + 1))
		done
	fi
}

# json_save FILE: prints the JSON body of a save of FILE's text as a new page.
json_save() {
	LC_ALL=C tr -d '\000-\010\013-\037' <"$1" | LC_ALL=C awk '
		BEGIN { printf "{\"base_rev\":0,\"summary\":\"banc d'\''essai\",\"markdown\":\"" }
		{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); printf "%s\\n", $0 }
		END { printf "\"}" }'
}

echo "== building clubwiki and bench/staticserver"
if [ -n "${BIN:-}" ]; then
	cp "$BIN" "$tmp/clubwiki"
	echo "== measuring $BIN"
else
	(cd "$root" && go build -o "$tmp/clubwiki" ./cmd/clubwiki)
fi
(cd "$root" && go build -o "$tmp/staticserver" ./bench/staticserver)

data=$tmp/data
echo "$password" | "$tmp/clubwiki" user add banc --role editor --password-stdin --data "$data" >/dev/null
token=$("$tmp/clubwiki" token create banc --label "banc d'essai" --data "$data")

"$tmp/clubwiki" serve --addr 127.0.0.1:0 --data "$data" 2>"$tmp/serve.log" &
pids+=($!)
serve_pid=$!
api=$(wait_url "$tmp/serve.log" 'url=http://[^ ]*')
api=${api#url=}

french_text >"$tmp/page.md"
json_save "$tmp/page.md" >"$tmp/save.json"
status=$(curl -sS -o "$tmp/save.out" -w '%{http_code}' -X PUT \
	-H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
	--data-binary "@$tmp/save.json" "$api/api/pages/$page")
if [ "$status" != 201 ]; then
	echo "read.sh: creating the page answered $status: $(cat "$tmp/save.out")" >&2
	exit 1
fi
curl -sS -f -o "$tmp/answer.json" -H "Authorization: Bearer $token" "$api/api/pages/$page"

"$tmp/staticserver" -file "$tmp/answer.json" >"$tmp/static.log" 2>&1 &
pids+=($!)
static_pid=$!
static=$(wait_url "$tmp/static.log" 'http://[^ ]*')

# Sign in like a browser and keep the session cookie.
curl -sS -o /dev/null -c "$tmp/jar" --data-urlencode login=banc --data-urlencode "password=$password" "$api/login"
session=$(awk '$6 == "clubwiki_session" { print $7 }' "$tmp/jar")
[ -n "$session" ] || { echo "read.sh: signing in failed" >&2; exit 1; }
html_bytes=$(curl -sS -f -H "Cookie: clubwiki_session=$session" "$api/wiki/$page" | wc -c)

source_name="built-in generator"
[ -d "$corpus" ] && source_name="$corpus"
echo "== page: $(wc -c <"$tmp/page.md") bytes of Markdown from $source_name; answers: $(wc -c <"$tmp/answer.json") bytes of JSON, $html_bytes bytes of HTML"
echo "== wrk -t$threads -c$connections -d$duration --latency: static, api, html"

# cpu_ticks PID: the user+system CPU time of a process, in clock ticks.
cpu_ticks() {
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# bench NAME URL [wrk args…]: runs wrk and prints "NAME rps p50 p99
# server-CPU-µs-per-request" (the last is 0 for the static server).
bench() {
	local name=$1 url=$2 before after pid=$serve_pid
	shift 2
	[ "$name" = static ] && pid=$static_pid
	before=$(cpu_ticks "$pid")
	wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$url" >"$tmp/$name.wrk"
	after=$(cpu_ticks "$pid")
	if grep -q 'Non-2xx' "$tmp/$name.wrk"; then
		echo "read.sh: $name answered errors:" >&2
		cat "$tmp/$name.wrk" >&2
		exit 1
	fi
	awk -v name="$name" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
		$1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } $1 == "Requests/sec:" { rps = $2 }
		/requests in/ { n = $1 }
		END { print name, rps, p50, p99, (n > 0 ? ticks / hz * 1e6 / n : 0) }' "$tmp/$name.wrk"
}

{
	bench static "$static/"
	bench api "$api/api/pages/$page" -H "Authorization: Bearer $token"
	bench html "$api/wiki/$page" -H "Cookie: clubwiki_session=$session"
} >"$tmp/results"

awk '
	{ rps[$1] = $2; p50[$1] = $3; p99[$1] = $4; cpu[$1] = $5 }
	END {
		printf "%-8s %12s %10s %10s %16s\n", "", "requests/s", "p50", "p99", "server CPU/req"
		for (i = 1; i <= 3; i++) {
			n = split("static api html", names, " ")
			printf "%-8s %12.0f %10s %10s %13.1f µs\n", names[i], rps[names[i]], p50[names[i]], p99[names[i]], cpu[names[i]]
		}
		printf "api/static requests/s ratio: %.2f (target: at least 0.50)\n", rps["api"] / rps["static"]
		printf "html/api requests/s ratio: %.2f (target: at least 0.50)\n", rps["html"] / rps["api"]
	}' "$tmp/results"
