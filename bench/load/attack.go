package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
)

// attack is one hostile request of issue 7.
type attack struct {
	name, method, path string
	body               []byte
}

// attacks lists the worst inputs the issue measured: prefix floods on
// search, preview bombs and diffs of huge revisions; only those whose name
// matches only, when it is not empty.
func attacks(only string) ([]attack, error) {
	search := func(q string) attack {
		return attack{name: "search " + q, method: "GET", path: "/api/search?" + url.Values{"q": {q}, "limit": {"500"}}.Encode()}
	}
	preview := func(name, md string) attack {
		b, _ := json.Marshal(map[string]string{"path": "usages/banc-apercu", "markdown": md})
		return attack{name: "preview " + name, method: "POST", path: "/api/preview", body: b}
	}
	diff := func(name, path string) attack {
		return attack{name: "diff " + name, method: "GET", path: "/api/diff/" + path + "?from=1&to=2"}
	}
	all := []attack{
		search(hostile.PrefixFlood),
		preview("table 5,000 columns × 5,000 rows (30 KB)", hostile.TableBomb(5000, 5000)),
		search("co* re* in* ma*"),
		preview("table 3,000 × 3,000 (18 KB)", hostile.TableBomb(3000, 3000)),
		diff("60,000 distinct lines", diffDistinct),
		search("p* s* c* d*"),
		preview("[a](< × 400 KB", hostile.OpenLinks(400_000)),
		search("a* e* i* o* u*"),
		preview("[a]: /u × 2 MB", hostile.RefDefinitions(2_000_000)),
		diff("40,000 × x → y", diffXY),
		preview("[^1] × 2 MB", hostile.FootnoteRefs(2_000_000)),
	}
	re, err := regexp.Compile(only)
	if err != nil {
		return nil, fmt.Errorf("-only: %w", err)
	}
	var out []attack
	for _, a := range all {
		if re.MatchString(a.name) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-only %q matches no attack", only)
	}
	return out, nil
}

// attacker sends the attacks in turn, starting at the first-th, until ctx
// ends. A request still unanswered then is counted as "unfinished".
func attacker(ctx context.Context, client *http.Client, base, token string, list []attack, first int, t *tally) {
	for i := first; ctx.Err() == nil; i++ {
		a := list[i%len(list)]
		req, err := http.NewRequestWithContext(ctx, a.method, base+a.path, bytes.NewReader(a.body))
		if err != nil {
			panic(err) // the requests are ours
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		start := time.Now()
		resp, err := client.Do(req)
		code := 0
		if err == nil {
			code = resp.StatusCode
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		if ctx.Err() != nil {
			t.add(a.name, "unfinished", time.Since(start), false)
			return
		}
		t.add(a.name, statusOf(code, err), time.Since(start), false)
		if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
			// A polite client would wait for Retry-After; an attacker
			// does not, but a short breath keeps this loop from only
			// measuring its own speed.
			waitCtx(ctx, 10*time.Millisecond)
		}
	}
}
