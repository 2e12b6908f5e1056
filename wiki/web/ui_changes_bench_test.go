package web

import (
	"fmt"
	"net/http"
	"testing"
)

// BenchmarkUI_Changes renders the recent changes page of 50 lines (display
// names, sizes, grouping) with and without the saved unreviewed filter,
// over a log of 300 saves by 6 members.
func BenchmarkUI_Changes(b *testing.B) {
	e, _ := newUIEnv(b)
	toks := make([]string, 6)
	for i := range toks {
		toks[i] = newNamedUserB(b, e, fmt.Sprintf("membre-%d", i), fmt.Sprintf("Membre n°%d", i))
	}
	for i := range 300 {
		rec := e.do("PUT", fmt.Sprintf("/api/pages/usages/page-%d", i), toks[i%6], map[string]any{"markdown": fmt.Sprintf("texte %d", i), "base_rev": 0})
		wantStatusCode(b, rec, http.StatusCreated)
		if i%2 == 0 {
			wantStatusCode(b, e.do("POST", fmt.Sprintf("/api/review/usages/page-%d", i), e.editor, map[string]any{"rev": 1}), http.StatusOK)
		}
	}
	for _, target := range []string{"/changes", "/changes?unreviewed=1&minor=0"} {
		b.Run(target, func(b *testing.B) {
			br := e.signIn("membre-0")
			for b.Loop() {
				if rec := br.get(target); rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
