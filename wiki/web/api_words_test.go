package web

import (
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// diffWordsT is the answer of GET /api/diff?words=1 as a client reads it.
type diffWordsT struct {
	From, To int
	Unified  string
	Words    []struct{ Op, Text string }
}

// TestAPI_DiffWords asks a real HTTP server for word diffs of French
// prose and rebuilds both revisions from the segments.
func TestAPI_DiffWords(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	revs := []string{
		"",
		"# Accès à l'ENT\n\nL'élève se connecte à l'ENT depuis le collège.\n\nLes parents reçoivent un courriel.\n",
		"# Accès à l'ENT\n\nL'élève se connecte à l’ENT depuis chez lui, « sans souci ».\n\nLes parents reçoivent un courriel.\n",
		"# Accès à l'ENT\n\nLes parents reçoivent un courriel.\n\nL'élève se connecte à l’ENT depuis chez lui, « sans souci ».\n",
		"# Accès\n\nLes parents reçoivent deux courriels : l'un, puis l'autre.",
	}
	for i := 1; i < len(revs); i++ {
		e.save("usages/acces-ent", revs[i], i-1, map[bool]int{true: http.StatusCreated, false: http.StatusOK}[i == 1])
	}
	get := func(t *testing.T, query string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+"/api/diff/usages/acces-ent"+query, nil)
		req.Header.Set("Authorization", "Bearer "+e.reader)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, body
	}
	for from := 0; from < len(revs); from++ {
		for to := 1; to < len(revs); to++ {
			status, body := get(t, "?from="+strconv.Itoa(from)+"&to="+strconv.Itoa(to)+"&words=1")
			if status != http.StatusOK {
				t.Fatalf("%d→%d: %d %s", from, to, status, body)
			}
			var d diffWordsT
			if err := json.Unmarshal(body, &d); err != nil {
				t.Fatal(err)
			}
			var old, neu strings.Builder
			for _, s := range d.Words {
				switch s.Op {
				case "=":
					old.WriteString(s.Text)
					neu.WriteString(s.Text)
				case "-":
					old.WriteString(s.Text)
				case "+":
					neu.WriteString(s.Text)
				default:
					t.Fatalf("%d→%d: op %q", from, to, s.Op)
				}
			}
			if old.String() != revs[from] || neu.String() != revs[to] {
				t.Errorf("%d→%d: rebuilt\n%q\n%q\nwant\n%q\n%q", from, to, old.String(), neu.String(), revs[from], revs[to])
			}
			if from != to && d.Unified == "" {
				t.Errorf("%d→%d: no unified diff beside the words", from, to)
			}
		}
	}
	t.Run("one word marked", func(t *testing.T) {
		_, body := get(t, "?from=1&to=2&words=1")
		var d diffWordsT
		_ = json.Unmarshal(body, &d)
		var ins []string
		for _, s := range d.Words {
			if s.Op == "+" {
				ins = append(ins, s.Text)
			}
		}
		if got := strings.Join(ins, "|"); !strings.Contains(got, "chez lui") || strings.Contains(got, "parents") {
			t.Errorf("insertions %q", got)
		}
	})
	t.Run("equal revisions are one unchanged segment", func(t *testing.T) {
		_, body := get(t, "?from=2&to=2&words=1")
		var d diffWordsT
		_ = json.Unmarshal(body, &d)
		if len(d.Words) != 1 || d.Words[0].Op != "=" || d.Words[0].Text != revs[2] {
			t.Errorf("body %s", body)
		}
	})
	t.Run("without words the answer is unchanged", func(t *testing.T) {
		for _, q := range []string{"?from=1&to=2", "?from=1&to=2&words=0"} {
			status, body := get(t, q)
			var m map[string]json.RawMessage
			if err := json.Unmarshal(body, &m); status != http.StatusOK || err != nil {
				t.Fatalf("%d %v", status, err)
			}
			if _, ok := m["words"]; ok || len(m) != 5 {
				t.Errorf("%s: keys %v", q, keys(m))
			}
		}
	})
	t.Run("a bad flag is a 400", func(t *testing.T) {
		if status, body := get(t, "?words=oui"); status != http.StatusBadRequest || !strings.Contains(string(body), `"bad_request"`) {
			t.Errorf("%d %s", status, body)
		}
	})
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestAPI_DiffWordsRandomEdits saves a random sequence of edits of French
// prose (words changed, paragraphs moved, added and removed, the final
// newline dropped) and rebuilds every pair of revisions from the API's
// segments.
func TestAPI_DiffWordsRandomEdits(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	rng := rand.New(rand.NewPCG(9, 9))
	words := []string{"l'élève", "l’école", "ÉduConnect", "à", "aujourd'hui", "«", "»", "déjà", "cœur", "ça", ",", ".", "—", "naïf", "ENT", "e-lyco", "12 h"}
	para := func() string {
		var ws []string
		for range 3 + rng.IntN(12) {
			ws = append(ws, words[rng.IntN(len(words))])
		}
		return strings.Join(ws, " ")
	}
	paras := []string{para(), para(), para(), para()}
	revs := []string{""}
	for len(revs) < 13 {
		i := rng.IntN(len(paras))
		switch rng.IntN(4) {
		case 0:
			ws := strings.Fields(paras[i])
			ws[rng.IntN(len(ws))] = words[rng.IntN(len(words))]
			paras[i] = strings.Join(ws, " ")
		case 1:
			j := rng.IntN(len(paras))
			paras[i], paras[j] = paras[j], paras[i]
		case 2:
			paras = append(paras, para())
		default:
			if len(paras) > 1 {
				paras = append(paras[:i], paras[i+1:]...)
			}
		}
		md := strings.Join(paras, "\n\n")
		if rng.IntN(2) == 0 {
			md += "\n"
		}
		if md == revs[len(revs)-1] {
			continue
		}
		e.save("usages/aleatoire", md, len(revs)-1, map[bool]int{true: http.StatusCreated, false: http.StatusOK}[len(revs) == 1])
		revs = append(revs, md)
	}
	client := ts.Client()
	for from := range revs {
		for to := 1; to < len(revs); to++ {
			req, _ := http.NewRequest("GET", ts.URL+"/api/diff/usages/aleatoire?words=1&from="+strconv.Itoa(from)+"&to="+strconv.Itoa(to), nil)
			req.Header.Set("Authorization", "Bearer "+e.reader)
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var d diffWordsT
			err = json.NewDecoder(res.Body).Decode(&d)
			res.Body.Close()
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("%d→%d: %d %v", from, to, res.StatusCode, err)
			}
			var old, neu strings.Builder
			for _, s := range d.Words {
				if s.Op != "+" {
					old.WriteString(s.Text)
				}
				if s.Op != "-" {
					neu.WriteString(s.Text)
				}
			}
			if old.String() != revs[from] || neu.String() != revs[to] {
				t.Fatalf("%d→%d: rebuilt\n%q\n%q\nwant\n%q\n%q", from, to, old.String(), neu.String(), revs[from], revs[to])
			}
		}
	}
}
