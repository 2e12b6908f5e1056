package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// The burst: workers × pagesPerWorker pages, each saved rounds times in a
// row, one worker per page so that revision N of a page always carries the
// same text. The server is killed after killAfter acknowledgements.
const (
	workers        = 8
	pagesPerWorker = 5
	rounds         = 5
	killAfter      = 80
)

// Sentences to build page texts from.
var phrases = []string{
	"Le cahier de textes en ligne est ouvert aux familles depuis la rentrée.",
	"Les enseignants déposent les devoirs avant dix-huit heures.",
	"La messagerie interne remplace peu à peu les carnets de correspondance.",
	"Le référent numérique anime une formation d'une heure chaque trimestre.",
	"Les comptes des élèves de sixième sont créés pendant la première semaine.",
	"Un problème d'affichage touche certains navigateurs anciens.",
	"Le connecteur vers la plateforme de ressources demande un jeton à jour.",
	"Le prestataire s'engage à rétablir le service en moins de quatre heures.",
	"Les parents séparés reçoivent chacun leurs propres identifiants.",
	"La collectivité finance l'hébergement pour l'ensemble des collèges.",
	"Une fiche pratique explique comment réinitialiser un mot de passe.",
	"Le club se réunit en visioconférence le premier jeudi du mois.",
}

var namespaces = []string{"usages", "accompagnement", "assistance", "portails", "connecteurs", "marches", "services", "club"}

func burstPath(worker, page int) string {
	return fmt.Sprintf("%s/rafale-%d-fiche-%d", namespaces[(worker+page)%len(namespaces)], worker, page)
}

// burstText is the Markdown of revision rev of a burst page: deterministic,
// a few kilobytes, different at every revision.
func burstText(worker, page, rev int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Fiche %d du lot %d\n\nVersion %d, rédigée pendant l'essai de résistance.\n\n", page, worker, rev)
	n := 8 + (worker*7+page*3+rev*5)%40
	for i := range n {
		b.WriteString(phrases[(worker+page*5+rev*3+i)%len(phrases)])
		if i%4 == 3 {
			b.WriteString("\n\n")
		} else {
			b.WriteByte(' ')
		}
	}
	if rev%2 == 0 {
		fmt.Fprintf(&b, "\n\nVoir aussi [[%s]].\n", burstPath((worker+1)%workers, page))
	}
	return b.String()
}

// ack is a save the server acknowledged.
type ack struct {
	path     string
	rev      int
	markdown string
}

// TestCrash_AcknowledgedSavesSurviveKill kills the server with SIGKILL in the
// middle of a burst of saves: every save it acknowledged must be there after
// a restart, and the store must pass check.
func TestCrash_AcknowledgedSavesSurviveKill(t *testing.T) {
	skipShort(t)
	t.Parallel()
	data := t.TempDir()
	tok := token(t, data, "alice", "editor")
	// Durability, not pacing, is under test: one member's burst is not
	// limited.
	srv := startServer(t, data, "--write-rate", "0")
	c := srv.client(tok)

	var (
		mu     sync.Mutex
		acked  []ack
		count  atomic.Int64
		killed = make(chan struct{})
		once   sync.Once
		wg     sync.WaitGroup
	)
	kill := func() {
		once.Do(func() {
			srv.kill()
			close(killed)
		})
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	for w := range workers {
		wg.Go(func() {
			for rev := 1; rev <= rounds; rev++ {
				for p := range pagesPerWorker {
					path, md := burstPath(w, p), burstText(w, p, rev)
					status, body, err := c.do(ctx, http.MethodPut, "/api/pages/"+path, saveBody{Markdown: md, BaseRev: rev - 1})
					if err != nil {
						return // the server is gone
					}
					var a saveAnswer
					want := http.StatusOK
					if rev == 1 {
						want = http.StatusCreated
					}
					if status != want || json.Unmarshal(body, &a) != nil || a.Rev != rev || a.Path != path {
						t.Errorf("PUT %s base_rev %d: status %d body %s, want %d and rev %d", path, rev-1, status, body, want, rev)
						return
					}
					mu.Lock()
					acked = append(acked, ack{path, rev, md})
					mu.Unlock()
					if count.Add(1) == killAfter {
						kill()
					}
				}
			}
		})
	}
	wg.Wait()
	kill() // in case the burst ended early on errors
	<-killed
	total := workers * pagesPerWorker * rounds
	t.Logf("%d of %d saves acknowledged before SIGKILL", len(acked), total)
	if len(acked) < killAfter || len(acked) >= total {
		t.Fatalf("%d saves acknowledged: the kill did not land in the middle of the burst", len(acked))
	}

	srv = startServer(t, data)
	c = srv.client(tok)
	latest := map[string]int{}
	for _, a := range acked {
		p := c.get(t, a.path, a.rev)
		if p.Rev != a.rev || p.Markdown != a.markdown {
			t.Errorf("%s rev %d: got rev %d and %d bytes of other text; the acknowledged save was lost", a.path, a.rev, p.Rev, len(p.Markdown))
		}
		latest[a.path] = max(latest[a.path], a.rev)
	}
	// A save in flight at the kill may or may not have landed, but what
	// landed is whole: at most one revision past the last acknowledged one,
	// with exactly the text that was sent.
	for w := range workers {
		for p := range pagesPerWorker {
			path := burstPath(w, p)
			status, body, err := c.do(t.Context(), http.MethodGet, "/api/pages/"+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if status == http.StatusNotFound && latest[path] == 0 {
				continue
			}
			var head pageAnswer
			if status != http.StatusOK || json.Unmarshal(body, &head) != nil {
				t.Errorf("GET %s: %d %s", path, status, body)
				continue
			}
			if head.Rev < latest[path] || head.Rev > latest[path]+1 || head.Markdown != burstText(w, p, head.Rev) {
				t.Errorf("%s: head rev %d (last acknowledged %d) with unexpected text", path, head.Rev, latest[path])
			}
		}
	}
	srv.stop()

	r := mustCLI(t, "", "check", "--data", data)
	if !strings.HasSuffix(r.stdout, "ok\n") {
		t.Errorf("check after the crash: %s", r.stdout)
	}
}
