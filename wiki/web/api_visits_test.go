package web

import (
	"net/http"
	"testing"
)

type seenT struct {
	Rev     int  `json:"rev"`
	SeenRev *int `json:"seen_rev"`
}

func TestServer_PageSeenRev(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const target = "/api/pages/usages/cahier"
	e.save("usages/cahier", "Un.\n", 0, http.StatusCreated)
	get := func(t *testing.T, q, token, inm string) *http.Request {
		t.Helper()
		r := newRequest("GET", target+q, nil)
		r.Header.Set("Authorization", "Bearer "+token)
		if inm != "" {
			r.Header.Set("If-None-Match", inm)
		}
		return r
	}
	seen := func(t *testing.T, q, token string) (int, string) {
		t.Helper()
		rec := serve(e.srv, get(t, q, token, ""))
		p := decode[seenT](t, rec)
		if p.SeenRev == nil {
			t.Fatalf("no seen_rev in %s", rec.Body)
		}
		return *p.SeenRev, rec.Header().Get("ETag")
	}
	t.Run("0 before any visit; a plain read records nothing", func(t *testing.T) {
		for range 2 {
			if n, _ := seen(t, "", e.reader); n != 0 {
				t.Fatalf("seen_rev = %d, want 0", n)
			}
		}
	})
	t.Run("seen=1 records, the answer says what was seen before", func(t *testing.T) {
		if n, _ := seen(t, "?seen=1", e.reader); n != 0 {
			t.Fatalf("first ?seen=1: seen_rev %d, want 0", n)
		}
		if n, _ := seen(t, "?seen=1", e.reader); n != 1 {
			t.Fatalf("second ?seen=1: seen_rev %d, want 1", n)
		}
		if n, _ := seen(t, "", e.editor); n != 0 {
			t.Fatalf("another member's seen_rev = %d, want 0", n)
		}
	})
	t.Run("a new revision: seen_rev stays at the one seen", func(t *testing.T) {
		e.save("usages/cahier", "Deux.\n", 1, http.StatusOK)
		if n, _ := seen(t, "", e.reader); n != 1 {
			t.Fatalf("seen_rev = %d, want 1", n)
		}
	})
	t.Run("the ETag is per member's visit; 304 still works", func(t *testing.T) {
		_, tag := seen(t, "", e.reader)
		rec := serve(e.srv, get(t, "", e.reader, tag))
		if rec.Code != http.StatusNotModified {
			t.Fatalf("same tag: status %d, want 304", rec.Code)
		}
		_, tag = seen(t, "?seen=1", e.reader) // seen_rev 1, now records 2
		rec = serve(e.srv, get(t, "", e.reader, tag))
		wantStatusCode(t, rec, http.StatusOK)
		if p := decode[seenT](t, rec); *p.SeenRev != 2 {
			t.Fatalf("after the visit: seen_rev %d, want 2", *p.SeenRev)
		}
		_, edith := seen(t, "", e.editor)
		if edith == tag {
			t.Fatal("two members with different visits share an ETag")
		}
	})
	t.Run("the cached body answers each member their own", func(t *testing.T) {
		if a, _ := seen(t, "", e.reader); a != 2 {
			t.Fatalf("reader seen_rev %d", a)
		}
		if b, _ := seen(t, "", e.editor); b != 0 {
			t.Fatalf("editor seen_rev %d", b)
		}
		if p := decode[pageT](t, e.do("GET", target, e.editor, nil)); p.Markdown != "Deux.\n" || p.Rev != 2 {
			t.Fatalf("page = %+v", p)
		}
	})
	t.Run("bad seen", func(t *testing.T) {
		wantError(t, e.do("GET", target+"?seen=oui", e.reader, nil), http.StatusBadRequest, "bad_request")
	})
	t.Run("an old revision is not a visit", func(t *testing.T) {
		if n, _ := seen(t, "?rev=1&seen=1", e.editor); n != 0 {
			t.Fatalf("seen_rev %d", n)
		}
		if n, _ := seen(t, "", e.editor); n != 0 {
			t.Fatalf("an old revision was recorded: seen_rev %d", n)
		}
	})
}
