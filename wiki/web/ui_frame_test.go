package web

import (
	"bytes"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestUI_FrameAsLayout checks that an answer written in its frame is the
// one the whole layout writes, byte for byte, for every kind of page, in
// both languages, signed in or not, with a flash message, and with
// characters to escape in the title, the member's name and the URL.
func TestUI_FrameAsLayout(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("assistance/guide", frenchPage(), 0, http.StatusCreated)
	e.save("usages/l-ecole", "# L'école « + » <b> & \"fin\"\n\nTexte.\n", 0, http.StatusCreated)
	member := e.signIn("edith")
	english := e.signIn("edith")
	english.cookies[langCookie] = "en"
	anon := e.browser()
	same := func(t *testing.T, b *browser, target string) {
		t.Helper()
		e.srv.ui.framesOff = false
		framed := b.get(target)
		e.srv.ui.framesOff = true
		whole := b.get(target)
		e.srv.ui.framesOff = false
		if framed.Code != whole.Code {
			t.Errorf("%s: status %d in its frame, %d by the layout", target, framed.Code, whole.Code)
		}
		if !bytes.Equal(framed.Body.Bytes(), whole.Body.Bytes()) {
			t.Errorf("%s: the frame writes\n%s\nthe layout writes\n%s", target, framed.Body, whole.Body)
		}
	}
	for _, target := range []string{
		"/", "/wiki/assistance/guide", "/wiki/usages/l-ecole", `/wiki/usages/l-ecole?x="<'+&>`, "/history/assistance/guide",
		"/changes", "/search?q=%C3%A9cole+%3Cb%3E", "/edit/usages/l-ecole", "/settings", "/wiki/usages/absente",
		"/diff/assistance/guide?from=1&to=1", "/ns/usages", "/watchlist", "/membres", "/admin", "/backlinks/usages/l-ecole",
	} {
		same(t, member, target)
		same(t, english, target)
	}
	same(t, anon, "/login")
	same(t, anon, "/forgot")

	// A flash message and names to escape, through render itself.
	r := httptest.NewRequest("GET", "/wiki/club/x", nil)
	for _, user := range []*wiki.User{nil, {Login: "zoe", Name: `Zoé <"L'+&">`}, {Login: "l&o"}} {
		for _, flash := range []string{"", `Page « enregistrée » <ok> & "+"`} {
			v := errorView{base: base{L: e.srv.ui.cats["fr"], User: user, Title: `Titre <"&'+>` + "\x00", Here: `/x?a="<'+&>`, Flash: flash, Head: e.srv.ui.static.head},
				Message: "Message", Status: 418}
			if user != nil {
				v.Nav = v.L.navs[0]
			}
			var out [2]*httptest.ResponseRecorder
			for i, off := range []bool{false, true} {
				e.srv.ui.framesOff = off
				out[i] = httptest.NewRecorder()
				e.srv.ui.render(out[i], r, http.StatusTeapot, "error", v)
			}
			e.srv.ui.framesOff = false
			if !bytes.Equal(out[0].Body.Bytes(), out[1].Body.Bytes()) {
				t.Errorf("user %v, flash %q: the frame writes\n%s\nthe layout writes\n%s", user, flash, out[0].Body, out[1].Body)
			}
		}
	}

	// The answers above were written in their frames, not by the layout
	// twice: a frame changed here shows in the next answer. The catalogues
	// are the process's (defaultCatalogs), read by the tests running
	// alongside: this server gets a copy of them with the changed frame.
	cats := maps.Clone(e.srv.ui.cats)
	fr := *cats["fr"]
	f := *fr.frames[frameIndex(true, false)]
	f.parts = slices.Clone(f.parts)
	f.parts[0] = "<!-- encadré -->" + f.parts[0]
	fr.frames[frameIndex(true, false)] = &f
	cats["fr"] = &fr
	e.srv.ui.cats = cats
	if body := member.get("/wiki/assistance/guide").Body.String(); !strings.HasPrefix(body, "<!-- encadré -->") {
		t.Errorf("a page view is not written in its frame: %.80s", body)
	}
}
