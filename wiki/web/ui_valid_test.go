package web

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// tidyPath finds HTML Tidy (HTML5-aware since 5.x, Debian package "tidy").
// Without it the test skips locally; CI installs it, so there it must run.
func tidyPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tidy")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tidy is missing; .ci/run installs it (apt-get install -y tidy)")
		}
		t.Skip("tidy is not installed (apt-get install -y tidy); skipping HTML validation")
	}
	return p
}

// html5Attributes are valid HTML5 attributes that Tidy 5.6 does not know
// yet and calls proprietary.
var html5Attributes = regexp.MustCompile(`proprietary attribute "(autocapitalize|minlength|aria-current|enterkeyhint|inputmode)"`)

// tidyProblems returns tidy's report without the lines about html5Attributes.
func tidyProblems(report string) string {
	var keep []string
	for _, line := range strings.Split(strings.TrimSpace(report), "\n") {
		if line != "" && !html5Attributes.MatchString(line) {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

// TestServer_ValidHTML runs every page of the interface through HTML Tidy
// and fails on any error or warning: unclosed or misnested elements,
// duplicate ids, unknown attributes, missing alt or lang, bad nesting of
// forms and tables.
func TestServer_ValidHTML(t *testing.T) {
	t.Parallel()
	tidy := tidyPath(t)
	e, sync := searchUIEnv(t)
	e.save("assistance/connexion-ent", "---\ntype: resolution\ntags: [connexion]\n---\n# Connexion à l'ENT\n\n## Symptôme\n\nLa connexion échoue[^1].\n\n## Solution\n\n| Projet | État |\n|:--|--:|\n| e-lyco | résolu |\n\n- [x] cache vidé\n- [ ] vérifier\n\nVoir [[assistance/absente]] et [[club/accueil]].\n\n[^1]: Le lundi matin.\n", 0, http.StatusCreated)
	e.save("assistance/connexion-ent", "---\ntype: resolution\ntags: [connexion]\n---\n# Connexion à l'ENT\n\n## Symptôme\n\nLa connexion échoue le lundi.\n", 1, http.StatusOK)
	sync()
	editor := e.signIn("edith")
	anonymous := e.browser()
	pages := []struct {
		b      *browser
		target string
		status int
	}{
		{anonymous, "/login", http.StatusOK},
		{editor, "/", http.StatusOK},
		{editor, "/ns/assistance", http.StatusOK},
		{editor, "/wiki/assistance/connexion-ent", http.StatusOK},
		{editor, "/wiki/assistance/connexion-ent?rev=1", http.StatusOK},
		{editor, "/wiki/assistance/absente", http.StatusNotFound},
		{editor, "/edit/assistance/connexion-ent", http.StatusOK},
		{editor, "/edit/assistance/nouvelle", http.StatusOK},
		{editor, "/new", http.StatusOK},
		{editor, "/history/assistance/connexion-ent", http.StatusOK},
		{editor, "/diff/assistance/connexion-ent?from=1&to=2", http.StatusOK},
		{editor, "/diff/assistance/connexion-ent?from=1&to=2&view=cote", http.StatusOK},
		{editor, "/diff/assistance/connexion-ent?from=1&to=2&view=rendu", http.StatusOK},
		{editor, "/diff/assistance/connexion-ent?from=0&to=2&view=rendu", http.StatusOK},
		{editor, "/diff/assistance/connexion-ent?from=1&to=2&view=unifiee", http.StatusOK},
		{editor, "/backlinks/club/accueil", http.StatusOK},
		{editor, "/revert/assistance/connexion-ent?rev=1", http.StatusOK},
		{editor, "/delete/assistance/connexion-ent", http.StatusOK},
		{editor, "/changes", http.StatusOK},
		{editor, "/settings", http.StatusOK},
		{editor, "/search", http.StatusOK},
		{editor, "/search?q=connexion", http.StatusOK},
		{editor, "/search?q=introuvable+ns:usages", http.StatusOK},
		{editor, "/nulle-part", http.StatusNotFound},
	}
	for _, p := range pages {
		t.Run(p.target, func(t *testing.T) {
			rec := p.b.get(p.target)
			wantStatusCode(t, rec, p.status)
			cmd := exec.Command(tidy, "-q", "-e", "--show-warnings", "yes", "--gnu-emacs", "yes")
			cmd.Stdin = bytes.NewReader(rec.Body.Bytes())
			var out bytes.Buffer
			cmd.Stderr = &out
			_ = cmd.Run() // exit 1 on warnings, 2 on errors: the report says which
			if problems := tidyProblems(out.String()); problems != "" {
				t.Errorf("tidy finds problems in %s:\n%s", p.target, problems)
			}
		})
	}
}
