#!/usr/bin/env bash
# ui-read.sh — how fast is the HTML page view GET /wiki/{path} of a ~20 KB
# French page, compared with the JSON API read GET /api/pages/{path} of the
# same page? The target: the page view at no less than half the API's rate.
#
# Usage: bench/ui-read.sh
# Environment: DURATION (10s), THREADS (2), CONNECTIONS (32), PAGE_BYTES (20000).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${DURATION:-10s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
page_bytes=${PAGE_BYTES:-20000}
page=usages/banc-d-essai-lecture
password=banc-d-essai-solide

for tool in wrk curl go; do
	if ! command -v "$tool" >/dev/null; then
		echo "ui-read.sh: $tool is missing; install it first (Debian: apt-get install -y $tool)" >&2
		exit 1
	fi
done

tmp=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# french_text prints about $page_bytes bytes of French Markdown with
# headings (a table of contents) and wiki links.
french_text() {
	echo "# Banc d'essai de lecture"
	echo
	local sentences=(
		"Le club des utilisateurs partage ses retours sur l'espace numérique de travail."
		"Chaque établissement désigne un référent qui recueille les demandes des enseignants."
		"Les familles consultent les notes, le cahier de textes et la messagerie depuis leur téléphone."
		"Une panne du service d'authentification empêche parfois la connexion le lundi matin."
		"Le marché d'hébergement prévoit des pénalités lorsque la disponibilité baisse ; voir [[marches/accueil]]."
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
}

json_save() {
	LC_ALL=C tr -d '\000-\010\013-\037' <"$1" | LC_ALL=C awk '
		BEGIN { printf "{\"base_rev\":0,\"summary\":\"banc d'\''essai\",\"markdown\":\"" }
		{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); printf "%s\\n", $0 }
		END { printf "\"}" }'
}

echo "== building clubwiki"
(cd "$root" && go build -o "$tmp/clubwiki" ./cmd/clubwiki)
data=$tmp/data
echo "$password" | "$tmp/clubwiki" user add banc --role editor --password-stdin --data "$data" >/dev/null
token=$("$tmp/clubwiki" token create banc --label "banc d'essai" --data "$data")

"$tmp/clubwiki" serve --addr 127.0.0.1:0 --data "$data" 2>"$tmp/serve.log" &
pid=$!
url=
for _ in $(seq 100); do
	url=$(grep -o 'url=http://[^ ]*' "$tmp/serve.log" | head -n1 | sed 's|^url=||; s|/$||') || true
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "$url" ] || { echo "ui-read.sh: the server did not start:" >&2; cat "$tmp/serve.log" >&2; exit 1; }

french_text >"$tmp/page.md"
json_save "$tmp/page.md" >"$tmp/save.json"
curl -sS -f -o /dev/null -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
	--data-binary "@$tmp/save.json" "$url/api/pages/$page"

# Sign in like a browser and keep the session cookie.
curl -sS -o /dev/null -c "$tmp/jar" --data-urlencode login=banc --data-urlencode "password=$password" "$url/login"
session=$(awk '$6 == "clubwiki_session" { print $7 }' "$tmp/jar")
[ -n "$session" ] || { echo "ui-read.sh: signing in failed" >&2; exit 1; }
html_bytes=$(curl -sS -f -H "Cookie: clubwiki_session=$session" "$url/wiki/$page" | wc -c)
json_bytes=$(curl -sS -f -H "Authorization: Bearer $token" "$url/api/pages/$page" | wc -c)
echo "== page: $(wc -c <"$tmp/page.md") bytes of Markdown; HTML view $html_bytes bytes, JSON answer $json_bytes bytes"
echo "== wrk -t$threads -c$connections -d$duration --latency, API then HTML"

bench() {
	local name=$1 target=$2
	shift 2
	wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$target" >"$tmp/$name.wrk"
	if grep -q 'Non-2xx' "$tmp/$name.wrk"; then
		echo "ui-read.sh: $name answered errors:" >&2
		cat "$tmp/$name.wrk" >&2
		exit 1
	fi
	awk -v name="$name" '
		$1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } $1 == "Requests/sec:" { rps = $2 }
		END { print name, rps, p50, p99 }' "$tmp/$name.wrk"
}

{
	bench api "$url/api/pages/$page" -H "Authorization: Bearer $token"
	bench html "$url/wiki/$page" -H "Cookie: clubwiki_session=$session"
} >"$tmp/results"

awk '
	{ rps[$1] = $2; p50[$1] = $3; p99[$1] = $4 }
	END {
		printf "%-8s %12s %10s %10s\n", "", "requests/s", "p50", "p99"
		printf "%-8s %12.0f %10s %10s\n", "api", rps["api"], p50["api"], p99["api"]
		printf "%-8s %12.0f %10s %10s\n", "html", rps["html"], p50["html"], p99["html"]
		printf "html/api requests/s ratio: %.2f (target: at least 0.50)\n", rps["html"] / rps["api"]
	}' "$tmp/results"
