package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestServer_BodyBudget holds the whole body budget with one large preview
// whose body arrives slowly: another large request is answered busy (503,
// Retry-After) without its body being read, a small save goes through at
// once, and once the first request is done the large one is accepted.
func TestServer_BodyBudget(t *testing.T) {
	t.Parallel() // its own server: it overlaps the package's other long tests
	const budget = 1 << 20
	// The busy answer comes after BodyBudgetWait: a short one, so as not
	// to wait the default 2 s; the slow request holds the budget for as
	// long as the test runs, however long the wait.
	e := newTestEnvWith(t, envOptions{server: Options{MaxBodyBytes: budget, BodyBudgetBytes: budget, BodyBudgetWait: 50 * time.Millisecond}})

	head := `{"path":"club/lent","markdown":"`
	tail := `"}`
	pr, pw := io.Pipe()
	slow := newRequest("POST", "/api/preview", pr)
	slow.ContentLength = budget
	slow.Header.Set("Authorization", "Bearer "+e.reader)
	done := make(chan *httptest.ResponseRecorder, 1)
	go func() { done <- serve(e.srv, slow) }()
	// The write returns once the handler reads: it holds the budget.
	if _, err := io.WriteString(pw, head); err != nil {
		t.Fatal(err)
	}

	big := map[string]string{"path": "club/gros", "markdown": strings.Repeat("mot ", 50<<10)}
	rec := e.do("POST", "/api/preview", e.reader, big)
	wantError(t, rec, http.StatusServiceUnavailable, "unavailable")
	if rec.Header().Get("Retry-After") == "" {
		t.Error("a busy answer without Retry-After")
	}
	e.save("club/petite", "# Petite\n\nUn membre enregistre un texte court.", 0, http.StatusCreated)

	if _, err := io.WriteString(pw, strings.Repeat("a", budget-len(head)-len(tail))+tail); err != nil {
		t.Fatal(err)
	}
	_ = pw.Close()
	if rec := <-done; rec.Code != http.StatusOK {
		t.Fatalf("the slow preview answered %d: %s", rec.Code, rec.Body)
	}
	wantStatusCode(t, e.do("POST", "/api/preview", e.reader, big), http.StatusOK)
}
