package e2e

import (
	"net/http"
	"path/filepath"
	"testing"
)

// TestServe_VisitsSurviveAStop: a visit buffered in memory is written when
// serve stops on SIGTERM, so the next start knows it.
func TestServe_VisitsSurviveAStop(t *testing.T) {
	skipShort(t)
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	tok := token(t, data, "ines", "editor")
	srv := startServer(t, data)
	c := srv.client(tok)
	c.call(t, "PUT", "/api/pages/usages/visite", map[string]any{"markdown": "# Visite\n"}, http.StatusCreated, nil)
	var seen struct {
		SeenRev int `json:"seen_rev"`
	}
	c.call(t, "GET", "/api/pages/usages/visite?seen=1", nil, http.StatusOK, &seen)
	if seen.SeenRev != 0 {
		t.Fatalf("first visit: seen_rev %d", seen.SeenRev)
	}
	srv.stop() // at once: before the once-a-second write, most likely
	srv = startServer(t, data)
	srv.client(tok).call(t, "GET", "/api/pages/usages/visite", nil, http.StatusOK, &seen)
	if seen.SeenRev != 1 {
		t.Fatalf("after a restart: seen_rev %d, want 1", seen.SeenRev)
	}
	srv.stop()
}
