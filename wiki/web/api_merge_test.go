package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// mergePage is a page of three paragraphs of seven sentences each: the
// sentence k of paragraph p ends with « à vérifier (p.k) ».
func mergePage() string {
	var b strings.Builder
	b.WriteString("# Bonne pratique partagée\n\n")
	for p := range 3 {
		for k := range 7 {
			if k > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "Le réglage de l'ENT numéro %d reste à vérifier (%d.%d).", k, p, k)
		}
		b.WriteString("\n\n")
	}
	b.WriteString("Fin.\n")
	return b.String()
}

// sentenceEdit is the change of client i to sentence (p, k) of mergePage.
func sentenceEdit(page string, p, k, i int) (text, mark string) {
	mark = fmt.Sprintf("est vérifié par le membre\u00a0%d", i)
	return strings.Replace(page, fmt.Sprintf("reste à vérifier (%d.%d)", p, k), mark+fmt.Sprintf(" (%d.%d)", p, k), 1), mark
}

// mergeAnswer is a save's answer, success or conflict.
type mergeAnswer struct {
	status int
	Rev    int  `json:"rev"`
	Merged bool `json:"merged"`
	apiError
	Conflicts *int `json:"conflicts"`
}

// concurrentSaves has one client per text save it to path from base at
// the same moment, over HTTP, and returns the answers in order.
func concurrentSaves(t *testing.T, url, token, path string, base int, texts []string) []mergeAnswer {
	t.Helper()
	out := make([]mergeAnswer, len(texts))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, text := range texts {
		wg.Go(func() {
			body, _ := json.Marshal(map[string]any{"markdown": text, "base_rev": base, "summary": fmt.Sprintf("membre %d", i)})
			req, _ := http.NewRequestWithContext(context.Background(), "PUT", url+"/api/pages/"+path, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			<-start
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Errorf("client %d: %v", i, err)
				return
			}
			defer res.Body.Close()
			out[i].status = res.StatusCode
			if err := json.NewDecoder(res.Body).Decode(&out[i]); err != nil {
				t.Errorf("client %d: decoding: %v", i, err)
			}
		})
	}
	close(start)
	wg.Wait()
	return out
}

// TestServer_SaveConcurrentMerge has 20 members save one page at once from
// the same base_rev, each changing another sentence of the same three
// paragraphs: every save is acknowledged and merged, the final text holds
// the 20 changes, the history one revision per save. With changes that
// overlap, each save is saved or refused with its conflict, and no
// acknowledged change is missing.
func TestServer_SaveConcurrentMerge(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ts := httptest.NewServer(e.srv)
	defer ts.Close()
	page := mergePage()
	t.Run("different sentences", func(t *testing.T) {
		const path = "usages/concurrence"
		e.save(path, page, 0, http.StatusCreated)
		texts, marks := make([]string, 20), make([]string, 20)
		for i := range 20 {
			texts[i], marks[i] = sentenceEdit(page, i%3, i/3, i)
		}
		answers := concurrentSaves(t, ts.URL, e.editor, path, 1, texts)
		revs := map[int]bool{}
		for i, a := range answers {
			if a.status != http.StatusOK || revs[a.Rev] {
				t.Errorf("client %d: %d, rev %d (seen before: %v)", i, a.status, a.Rev, revs[a.Rev])
			}
			revs[a.Rev] = true
		}
		final := e.pageText(path)
		for i, m := range marks {
			if strings.Count(final, m+" (") != 1 {
				t.Errorf("the change of client %d is not in the final text once:\n%s", i, final)
			}
		}
		if h := e.history(path); len(h.Revisions) != 21 {
			t.Errorf("history has %d revisions, want the creation and 20 saves", len(h.Revisions))
		}
	})
	t.Run("overlapping changes", func(t *testing.T) {
		const path = "usages/chevauchement"
		e.save(path, page, 0, http.StatusCreated)
		texts, marks := make([]string, 20), make([]string, 20)
		for i := range 20 {
			texts[i], marks[i] = sentenceEdit(page, i%2, i%3, i) // 6 sentences for 20 members
		}
		answers := concurrentSaves(t, ts.URL, e.editor, path, 1, texts)
		final := e.pageText(path)
		saved := 0
		for i, a := range answers {
			switch a.status {
			case http.StatusOK:
				saved++
				if !strings.Contains(final, marks[i]+" (") {
					t.Errorf("client %d was acknowledged (rev %d) but its change is missing:\n%s", i, a.Rev, final)
				}
			case http.StatusConflict:
				if a.Conflicts == nil || *a.Conflicts < 1 || a.ConflictMarkdown == nil || !strings.Contains(*a.ConflictMarkdown, marks[i]) {
					t.Errorf("client %d: a conflict without its regions or its change: %+v", i, a)
				}
			default:
				t.Errorf("client %d answered %d", i, a.status)
			}
		}
		if saved < 6 {
			t.Errorf("%d saves acknowledged; at least one per sentence should be", saved)
		}
		if h := e.history(path); len(h.Revisions) != saved+1 {
			t.Errorf("history has %d revisions for %d acknowledged saves", len(h.Revisions), saved)
		}
	})
}

// TestServer_SaveConflictCount checks that a 409 carries the number of
// conflicting regions beside conflict_markdown, and that two members
// changing different sentences of one paragraph merge.
func TestServer_SaveConflictCount(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const path = "usages/compte"
	page := mergePage()
	e.save(path, page, 0, http.StatusCreated)
	first, _ := sentenceEdit(page, 0, 0, 1)
	first, _ = sentenceEdit(first, 2, 6, 1)
	e.save(path, first, 1, http.StatusOK)
	t.Run("different sentences merge", func(t *testing.T) {
		text, _ := sentenceEdit(page, 0, 1, 2)
		if got := e.save(path, text, 1, http.StatusOK); got.Merged == nil || !*got.Merged {
			t.Errorf("merged = %v, want true", got.Merged)
		}
	})
	t.Run("same words conflict", func(t *testing.T) {
		text, _ := sentenceEdit(page, 0, 0, 3)
		text, _ = sentenceEdit(text, 2, 6, 3)
		rec := e.do("PUT", "/api/pages/"+path, e.editor, map[string]any{"markdown": text, "base_rev": 1})
		c := wantError(t, rec, http.StatusConflict, "edit_conflict")
		var n struct {
			Conflicts *int `json:"conflicts"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &n); err != nil {
			t.Fatal(err)
		}
		if n.Conflicts == nil || *n.Conflicts != 2 {
			t.Errorf("conflicts = %v, want 2", n.Conflicts)
		}
		if regions, ok := wiki.ConflictRegions(*c.ConflictMarkdown); !ok || regions != 2 {
			t.Errorf("conflict_markdown holds %d regions (%v), want 2", regions, ok)
		}
	})
}

// pageText reads a page's Markdown as the reader.
func (e *testEnv) pageText(path string) string {
	e.t.Helper()
	rec := e.do("GET", "/api/pages/"+path, e.reader, nil)
	wantStatusCode(e.t, rec, http.StatusOK)
	return decode[struct {
		Markdown string `json:"markdown"`
	}](e.t, rec).Markdown
}
