package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkServer_ViewPage serves the HTML view of a 20 KB French page beside
// the JSON API read of the same page: the target is at least half the API's
// rate.
func BenchmarkServer_ViewPage(b *testing.B) {
	e := newTestEnvWith(b, envOptions{server: Options{LoginDelay: -1}})
	e.save("assistance/guide-de-proximite", frenchPage(), 0, http.StatusCreated)
	br := e.signIn("edith")
	cookie := br.cookies[sessionCookie]
	const view = "/wiki/assistance/guide-de-proximite"
	first := br.get(view)
	wantStatusCode(b, first, http.StatusOK)
	b.Logf("page view: %d bytes of HTML", first.Body.Len())

	b.Run("html", func(b *testing.B) { benchCookie(b, e.srv, view, cookie) })
	b.Run("api", func(b *testing.B) { benchHandler(b, e.srv, "/api/pages/assistance/guide-de-proximite", e.editor) })
}

func benchCookie(b *testing.B, h http.Handler, target, cookie string) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := httptest.NewRequest("GET", target, nil)
			r.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
			w := &discardWriter{h: http.Header{}}
			h.ServeHTTP(w, r)
			if w.status != 0 && w.status != http.StatusOK {
				b.Fatalf("status %d", w.status)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
