package render_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/wiki"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// namespaces are the namespace keys the test wiki knows.
var namespaces = map[string]bool{"assistance": true, "club": true, "vie-scolaire": true}

// testOptions renders as the page assistance/guide of a wiki where only
// the pages in live exist.
func testOptions(live ...string) wiki.RenderOptions {
	set := map[wiki.Path]bool{}
	for _, p := range live {
		set[wiki.MustPath(p)] = true
	}
	return wiki.RenderOptions{
		Page:        wiki.MustPath("assistance/guide"),
		IsNamespace: func(k string) bool { return namespaces[k] },
		Existing: func(paths []wiki.Path) map[wiki.Path]bool {
			out := map[wiki.Path]bool{}
			for _, p := range paths {
				out[p] = set[p]
			}
			return out
		},
		LinkPrefix: "/wiki/",
	}
}

func mustRender(t testing.TB, src string, opt wiki.RenderOptions) *wiki.Rendered {
	t.Helper()
	out, err := render.New(render.Options{}).Render(context.Background(), []byte(src), opt)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return out
}

// TestRenderer_Render_golden renders every testdata/*.md and compares the
// HTML with the .html file and the derived data with the .json file. Run
// with -update to rewrite them after an intended change, then review the
// diff.
func TestRenderer_Render_golden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	r := render.New(render.Options{})
	for _, md := range files {
		name := strings.TrimSuffix(filepath.Base(md), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(md)
			if err != nil {
				t.Fatal(err)
			}
			out, err := r.Render(context.Background(), src, testOptions("club/reglement-interieur", "assistance/mots-de-passe"))
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			// The golden files name heading fields in lower case, as the
			// API does; the domain type carries no JSON names.
			type heading struct {
				Level int    `json:"level"`
				Text  string `json:"text"`
				ID    string `json:"id"`
			}
			var headings []heading
			for _, h := range out.Headings {
				headings = append(headings, heading(h))
			}
			derived := struct {
				Title    string
				Meta     map[string]any
				Headings []heading
				Text     string
				Links    []wiki.Path
			}{out.Title, out.Meta, headings, out.Text, out.Links}
			var js bytes.Buffer
			enc := json.NewEncoder(&js)
			enc.SetEscapeHTML(false) // keep "&" readable in the golden file
			enc.SetIndent("", "  ")
			if err := enc.Encode(derived); err != nil {
				t.Fatal(err)
			}
			golden(t, strings.TrimSuffix(md, ".md")+".html", []byte(out.HTML))
			golden(t, strings.TrimSuffix(md, ".md")+".json", js.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the output (run go test -update and review the diff)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestRenderer_Render_title(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"front matter wins", "---\ntitle: Depuis l'en-tête\n---\n# Premier titre\n", "Depuis l'en-tête"},
		{"numeric front matter title", "---\ntitle: 2026\n---\n# Premier titre\n", "2026"},
		{"blank front matter title falls back", "---\ntitle: \"  \"\n---\n# Premier titre\n", "Premier titre"},
		{"first level-1 heading", "## Avant\n\n# Premier *titre*\n\n# Second titre\n", "Premier titre"},
		{"setext heading", "Titre souligné\n==============\n", "Titre souligné"},
		{"heading with wiki link", "# Voir [[club/a|la page A]]\n", "Voir la page A"},
		{"no level-1 heading", "## Seulement un sous-titre\n\nDu texte.\n", ""},
		{"empty page", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustRender(t, tt.src, testOptions()).Title; got != tt.want {
				t.Errorf("Title = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenderer_Render_meta(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"none", "# Titre\n", `{}`},
		{"empty block", "---\n---\nTexte\n", `{}`},
		{"only a comment", "---\n# rien\n---\nTexte\n", `{}`},
		{"scalars as written", "---\nn: 42\nneg: -7\nf: 2.5\nb: true\nnul: ~\nd: 2026-01-01\nheure: 12:30\nq: \"12\"\noui: yes\ninf: .inf\n---\n",
			`{"b":true,"d":"2026-01-01","f":2.5,"heure":"12:30","inf":".inf","n":42,"neg":-7,"nul":null,"oui":"yes","q":"12"}`},
		{"nested", "---\nauteurs: [Léa, Noé]\ncontact:\n  nom: Mme Martin\n  salles: [B204, CDI]\n---\n",
			`{"auteurs":["Léa","Noé"],"contact":{"nom":"Mme Martin","salles":["B204","CDI"]}}`},
		{"alias", "---\nbase: &b {salle: B204}\ncopie: *b\n---\n", `{"base":{"salle":"B204"},"copie":{"salle":"B204"}}`},
		{"dots close the block", "---\ntitre: x\n...\nTexte\n", `{"titre":"x"}`},
		{"CRLF and BOM", "\uFEFF---\r\ntitre: x\r\n---\r\nTexte\r\n", `{"titre":"x"}`},
		{"unclosed block is Markdown", "---\ntitre: x\n", `{}`},
		{"not at the start", "Texte\n---\ntitre: x\n---\n", `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustRender(t, tt.src, testOptions())
			got, err := json.Marshal(out.Meta)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Meta = %s, want %s", got, tt.want)
			}
			if strings.Contains(out.HTML, "titre: x") && !strings.Contains(tt.name, "Markdown") && !strings.Contains(tt.name, "start") {
				t.Errorf("front matter rendered: %s", out.HTML)
			}
		})
	}
}

func TestRenderer_Render_invalidFrontMatter(t *testing.T) {
	tests := []struct {
		name, src, wantMsg string
	}{
		{"syntax error", "---\ntitre: ok\nliste: [a, b\n---\n", "line 3"},
		{"unclosed quote", "---\ntitre: ok\nlieu: \"CDI\n---\n", "line 3"},
		{"bad indentation", "---\na: 1\n  b: 2\n---\n", "line 3"},
		{"not a mapping", "---\n- a\n- b\n---\n", "key: value"},
		{"scalar", "---\nbonjour\n---\n", "key: value"},
		{"duplicate key", "---\na: 1\nb: 2\na: 3\n---\n", "line 4"},
		{"list as key", "---\n? [a, b]\n: c\n---\n", "key"},
		{"billion laughs", "---\n" + laughs() + "---\n", "too large"},
	}
	r := render.New(render.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := r.Render(context.Background(), []byte(tt.src), testOptions())
			if err == nil {
				t.Fatalf("no error; meta = %v", out.Meta)
			}
			var we *wiki.Error
			if !errors.As(err, &we) || we.Code != wiki.EInvalid {
				t.Fatalf("err = %v, want a *wiki.Error with code EInvalid", err)
			}
			if !strings.Contains(wiki.ErrorMessage(err), tt.wantMsg) {
				t.Errorf("message %q does not mention %q", wiki.ErrorMessage(err), tt.wantMsg)
			}
		})
	}
}

// laughs is a YAML text whose aliases expand to 10^9 nodes.
func laughs() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	return b.String()
}
