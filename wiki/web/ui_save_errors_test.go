package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// faultyStore makes every commit fail as fault says (an error, or a panic
// when fault panics), once fault is set.
type faultyStore struct {
	wiki.Store
	fault atomic.Pointer[func() error]
}

func (s *faultyStore) Commit(ctx context.Context, cs ...wiki.Commit) ([]wiki.Change, error) {
	if f := s.fault.Load(); f != nil {
		if err := (*f)(); err != nil {
			return nil, err
		}
	}
	return s.Store.Commit(ctx, cs...)
}

// faultyDiffer makes every merge fail as fault says, once it is set.
type faultyDiffer struct {
	wiki.Differ
	fault atomic.Pointer[func() error]
}

func (d *faultyDiffer) Merge(ctx context.Context, base, mine, theirs string) (wiki.Merge, error) {
	if f := d.fault.Load(); f != nil {
		if err := (*f)(); err != nil {
			return wiki.Merge{}, err
		}
	}
	return d.Differ.Merge(ctx, base, mine, theirs)
}

func TestServer_SavePageFailures(t *testing.T) {
	t.Parallel()
	st, df := &faultyStore{}, &faultyDiffer{}
	e := newTestEnvWith(t, envOptions{
		server:     Options{LoginDelay: -1},
		wrapStore:  func(s wiki.Store) wiki.Store { st.Store = s; return st },
		wrapDiffer: func(d wiki.Differ) wiki.Differ { df.Differ = d; return df },
	})
	fr := e.srv.ui.cats["fr"]
	b := e.signIn("edith")
	e.save("assistance/pannes", "# Pannes\n\nun\n\ndeux\n", 0, http.StatusCreated)
	e.save("assistance/pannes", "# Pannes\n\nUN\n\ndeux\n", 1, http.StatusOK)
	mine := "# Pannes\n\nun\n\ndeux, avec tout ce que j'ai écrit pendant une heure\n"
	cases := []struct {
		name   string
		store  func() error
		differ func() error
		status int
		key    string
	}{
		{"internal", func() error { return errors.New("disk on fire") }, nil, http.StatusInternalServerError, "edit.error.internal"},
		{"store panics", func() error { panic("bbolt exploded") }, nil, http.StatusInternalServerError, "edit.error.internal"},
		{"merge panics", nil, func() error { panic("index out of range [55296]") }, http.StatusInternalServerError, "edit.error.internal"},
		{"merge fails", nil, func() error { return wiki.Internal(errors.New("diff broke"), "merging") }, http.StatusInternalServerError, "edit.error.internal"},
		{"timeout", nil, func() error { return fmt.Errorf("merging: %w", context.DeadlineExceeded) }, http.StatusInternalServerError, "edit.error.timeout"},
		{"busy", func() error { return wiki.Errorf(wiki.EUnavailable, "busy") }, nil, http.StatusServiceUnavailable, "edit.error.unavailable"},
		{"disk full", func() error { return wiki.Errorf(wiki.EStorageFull, "no space left on device") }, nil, http.StatusInsufficientStorage, "edit.error.insufficient_storage"},
		{"too large", func() error { return wiki.Errorf(wiki.ETooLarge, "the merged page is too large") }, nil, http.StatusRequestEntityTooLarge, "edit.error.too_large"},
		{"too fast", func() error { return wiki.Errorf(wiki.EConflict, "edited too fast") }, nil, http.StatusConflict, "edit.error.edit_conflict"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st.fault.Store(&tc.store)
			df.fault.Store(&tc.differ)
			t.Cleanup(func() { st.fault.Store(nil); df.fault.Store(nil) })
			if tc.store == nil {
				st.fault.Store(nil)
			}
			if tc.differ == nil {
				df.fault.Store(nil)
			}
			rec := b.post("/edit/assistance/pannes", url.Values{"markdown": {mine}, "base_rev": {"1"}, "summary": {"mon résumé"}})
			doc := page(t, rec, tc.status)
			if got := doc.Find("textarea#markdown").Text(); got != mine {
				t.Errorf("text = %q, want it intact", got)
			}
			if doc.Find("input#summary").AttrOr("value", "") != "mon résumé" || doc.Find("input[name=base_rev]").AttrOr("value", "") != "1" {
				t.Error("summary or base_rev lost")
			}
			if got := text(doc, ".error p"); got != fr.T(tc.key) {
				t.Errorf("message = %q, want %q", got, fr.T(tc.key))
			}
			if strings.Contains(rec.Body.String(), "disk on fire") || strings.Contains(rec.Body.String(), "exploded") {
				t.Error("a Go error reaches the page")
			}
		})
	}
	if got := e.head("assistance/pannes"); got != "# Pannes\n\nUN\n\ndeux\n" {
		t.Errorf("head = %q, want it untouched", got)
	}
}

// postMultipart posts fields as multipart/form-data, as a form with
// enctype="multipart/form-data" does.
func (b *browser) postMultipart(target string, fields url.Values) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	_ = mw.Close()
	req := httptest.NewRequest("POST", target, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func TestServer_SavePageMultipart(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{server: Options{LoginDelay: -1, MaxBodyBytes: 64 << 10}})
	b := e.signIn("edith")
	t.Run("saved", func(t *testing.T) {
		md := "# Formulaire\r\n\r\nEnvoyé en multipart/form-data.\r\n"
		rec := b.postMultipart("/edit/usages/multipart", url.Values{"markdown": {md}, "base_rev": {"0"}, "summary": {"essai"}})
		wantStatusCode(t, rec, http.StatusSeeOther)
		if got := e.head("usages/multipart"); got != "# Formulaire\n\nEnvoyé en multipart/form-data.\n" {
			t.Errorf("head = %q", got)
		}
	})
	t.Run("refused save keeps the text", func(t *testing.T) {
		md := "---\ntitle: [pas fermé\n---\n"
		doc := page(t, b.postMultipart("/edit/usages/multipart-yaml", url.Values{"markdown": {md}, "base_rev": {"0"}}), http.StatusBadRequest)
		if doc.Find("textarea#markdown").Text() != md {
			t.Error("text lost")
		}
	})
	t.Run("larger than the body limit", func(t *testing.T) {
		rec := b.postMultipart("/edit/usages/gros", url.Values{"markdown": {strings.Repeat("x", 128<<10)}, "base_rev": {"0"}})
		doc := page(t, rec, http.StatusRequestEntityTooLarge)
		if got := text(doc, "main p"); got != e.srv.ui.cats["fr"].T("edit.error.body_too_large") {
			t.Errorf("message = %q", got)
		}
	})
}
