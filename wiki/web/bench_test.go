package web

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// frenchPage returns about 20 KB of French Markdown: front matter, headings,
// lists, a table, emphasis and wiki links, as a real club page has.
func frenchPage() string {
	var b strings.Builder
	b.WriteString("---\ntitle: Guide de l'assistance de proximité\ntype: guide\nstatut: validé\ntags: [assistance, ent, établissements]\n---\n")
	b.WriteString("# Guide de l'assistance de proximité\n\n")
	b.WriteString("Ce guide rassemble ce que les référents numériques des établissements ont appris en accompagnant élèves, familles et personnels. Il complète [[assistance/organisation]] et [[portails/educonnect|la page sur ÉduConnect]].\n\n")
	for i := 1; b.Len() < 20_000; i++ {
		fmt.Fprintf(&b, "## %d. Situation rencontrée au collège n° %d\n\n", i, i)
		b.WriteString("Un parent d'élève signale qu'il n'arrive plus à se connecter depuis la rentrée : le message affiché évoque un *compte désactivé*. ")
		b.WriteString("Après vérification dans la console d'administration, il s'avère que la fiche a été **dédoublonnée** lors de l'import de début d'année.\n\n")
		b.WriteString("- Vérifier l'identifiant ÉduConnect et la date de dernière connexion ;\n")
		b.WriteString("- contrôler le rattachement de l'enfant à la bonne classe ;\n")
		b.WriteString("- en cas de doute, ouvrir un ticket auprès de l'[[assistance/hotline|assistance académique]].\n\n")
		b.WriteString("| Étape | Qui | Délai |\n|---|---|---|\n| Diagnostic | référent | 1 jour |\n| Correction | éditeur | 3 jours |\n\n")
		b.WriteString("> Remarque : les familles apprécient qu'on leur réponde en français clair, sans sigles, et qu'on leur donne un délai réaliste.\n\n")
	}
	return b.String()
}

// discardWriter is a ResponseWriter that keeps nothing, so that the
// benchmark measures the handler rather than a recorder's copying.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(code int)        { d.status = code }
func (d *discardWriter) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

// BenchmarkServer_GetPage reads a 20 KB French page, in the handler alone and
// over loopback HTTP, each beside a plain http.FileServer serving the same
// bytes from a file: the target is at least half the file server's rate.
func BenchmarkServer_GetPage(b *testing.B) {
	e := newTestEnv(b)
	e.save("assistance/guide-de-proximite", frenchPage(), 0, http.StatusCreated)
	const target = "/api/pages/assistance/guide-de-proximite"
	first := e.do("GET", target, e.editor, nil)
	wantStatusCode(b, first, http.StatusOK)
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "page.json"), first.Body.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	files := http.FileServer(http.Dir(dir))
	b.Logf("answer: %d bytes of JSON", first.Body.Len())

	b.Run("handler", func(b *testing.B) { benchHandler(b, e.srv, target, e.editor) })
	b.Run("handler/fileserver", func(b *testing.B) { benchHandler(b, files, "/page.json", "") })
	b.Run("loopback", func(b *testing.B) { benchLoopback(b, e.srv, target, e.editor) })
	b.Run("loopback/fileserver", func(b *testing.B) { benchLoopback(b, files, "/page.json", "") })
}

func benchHandler(b *testing.B, h http.Handler, target, token string) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := httptest.NewRequest("GET", target, nil)
			if token != "" {
				r.Header.Set("Authorization", "Bearer "+token)
			}
			w := &discardWriter{h: http.Header{}}
			h.ServeHTTP(w, r)
			if w.status != 0 && w.status != http.StatusOK {
				b.Fatalf("status %d", w.status)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

func benchLoopback(b *testing.B, h http.Handler, target, token string) {
	ts := httptest.NewServer(h)
	defer ts.Close()
	client := ts.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r, _ := http.NewRequest("GET", ts.URL+target, nil)
			if token != "" {
				r.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := client.Do(r)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
