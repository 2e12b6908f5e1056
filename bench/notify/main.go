// Command notify measures how far the e-mail notifications lag behind the
// saves: it prepares a wiki whose members watch a namespace with
// immediate mail, starts `clubwiki serve` (the binary given) against a
// local SMTP sink, drives saves at a steady rate through the API, and
// reports the lag from each save's answer (its commit is durable by then)
// to the sink accepting the mail that carries it.
//
//	go run ./bench/notify -bin ./clubwiki -rate 100 -duration 30s
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kdecole-club/clubwiki/internal/smtpsink"
	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

func main() {
	bin := flag.String("bin", "./clubwiki", "the clubwiki binary")
	rate := flag.Int("rate", 100, "saves per second")
	duration := flag.Duration("duration", 30*time.Second, "how long to save")
	subs := flag.Int("subscribers", 10, "members with immediate mail watching the namespace")
	flag.Parse()
	if err := run(*bin, *rate, *duration, *subs); err != nil {
		log.Fatal(err)
	}
}

func run(bin string, rate int, duration time.Duration, subs int) error {
	data, err := os.MkdirTemp("", "clubwiki-notify-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(data)
	token, err := prepare(data, subs)
	if err != nil {
		return err
	}
	sink, err := smtpsink.Start("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer sink.Close()
	base, stop, err := serve(bin, data, sink.URL())
	if err != nil {
		return err
	}
	defer stop()
	saved, failed := drive(base, token, rate, duration)
	want := len(saved)
	fmt.Printf("saves: %d in %v (%d failed), %d subscribers\n", want, duration, failed, subs)
	return report(sink, saved, subs, want)
}

// prepare makes the members: an author with a token, and subs members
// with an address, immediate mail, watching the namespace usages.
func prepare(data string, subs int) (string, error) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(data, "clubwiki.db"), store.Options{})
	if err != nil {
		return "", err
	}
	defer db.Close()
	svc := wiki.NewService(db, render.New(render.Options{}), textdiff.New(), wiki.Config{BcryptCost: 4})
	if err := svc.Init(ctx); err != nil {
		return "", err
	}
	if _, err := svc.CreateUser(ctx, wiki.NewUser{Login: "auteur", Password: "un mot de passe long"}); err != nil {
		return "", err
	}
	for i := range subs {
		l := fmt.Sprintf("membre%d", i)
		u, err := svc.CreateUser(ctx, wiki.NewUser{Login: l, Email: l + "@club.example", Password: "un mot de passe long"})
		if err != nil {
			return "", err
		}
		mode := wiki.NotifyImmediate
		if _, err := svc.UpdateMe(ctx, &u, wiki.MeChange{Notify: &mode}); err != nil {
			return "", err
		}
		if err := svc.Watch(ctx, &u, wiki.Watched{Namespace: "usages"}, true); err != nil {
			return "", err
		}
	}
	tok, _, err := svc.CreateToken(ctx, wiki.System(), "auteur", "bench")
	return tok, err
}

// serve starts the server and returns its address once it serves.
func serve(bin, data, smtp string) (string, func(), error) {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", data, "--smtp-url", smtp,
		"--mail-from", "wiki@club.example", "--base-url", "https://wiki.example", "--notify-delay", "0", "--debug",
		"--write-rate", "0") // one author writes 100 a second: the limit per member is not what is measured
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}
	re := regexp.MustCompile(`url=(http://[0-9.:]+)/`)
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			go func() {
				w := io.Discard
				if f, err := os.Create(os.Getenv("NOTIFY_LOG")); err == nil {
					defer f.Close()
					w = f
				}
				_, _ = io.Copy(w, stderr)
			}()
			return m[1], stop, nil
		}
	}
	stop()
	return "", nil, errors.New("the server stopped before serving")
}

// drive saves a new page of usages rate times a second for duration and
// returns when each was answered, by path.
func drive(base, token string, rate int, duration time.Duration) (map[string]time.Time, int) {
	var mu sync.Mutex
	saved, failed := map[string]time.Time{}, 0
	var took []time.Duration
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	end := time.Now().Add(duration)
	var wg sync.WaitGroup
	for i := 0; time.Now().Before(end); i++ {
		<-tick.C
		path := fmt.Sprintf("usages/banc-%d", i)
		wg.Go(func() {
			body := fmt.Sprintf(`{"markdown":"# Banc %d\n\nUne page de l'essai des notifications.\n"}`, i)
			req, _ := http.NewRequest("PUT", base+"/api/pages/"+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			sent := time.Now()
			resp, err := http.DefaultClient.Do(req)
			at := time.Now()
			mu.Lock()
			defer mu.Unlock()
			took = append(took, at.Sub(sent))
			if err != nil || resp.StatusCode != http.StatusCreated {
				failed++
			} else {
				saved[path] = at
			}
			if resp != nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	slices.Sort(took)
	if len(took) > 0 {
		fmt.Printf("save latency: p50 %.3fs  p99 %.3fs\n", took[len(took)/2].Seconds(), took[len(took)*99/100].Seconds())
	}
	return saved, failed
}

// pageRE finds the pages a mail tells of: detailed ("== Title (path) ==")
// or past the detailed ones ("  * Title (path)").
var pageRE = regexp.MustCompile(`(?m)^(?:== |  \* ).* \((usages/banc-\d+)\)(?: ==)?$`)

// report waits until every subscriber was told of every save (or a
// minute passed) and prints the lag's quantiles.
func report(sink *smtpsink.Sink, saved map[string]time.Time, subs, want int) error {
	deadline := time.Now().Add(time.Minute)
	var lags []time.Duration
	mails := 0
	for {
		lags, mails = lags[:0], 0
		for _, m := range sink.Messages() {
			mails++
			for _, g := range pageRE.FindAllStringSubmatch(m.Text, -1) {
				if at, ok := saved[g[1]]; ok {
					lags = append(lags, m.Accepted.Sub(at))
				}
			}
		}
		if len(lags) >= want*subs || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(lags) == 0 {
		return errors.New("no notification arrived")
	}
	slices.Sort(lags)
	q := func(p float64) float64 { return lags[min(len(lags)-1, int(p*float64(len(lags))))].Seconds() }
	fmt.Printf("notifications: %d of %d delivered in %d mails\n", len(lags), want*subs, mails)
	fmt.Printf("lag save→mail accepted: p50 %.3fs  p99 %.3fs  max %.3fs\n", q(0.50), q(0.99), lags[len(lags)-1].Seconds())
	if len(lags) < want*subs {
		return fmt.Errorf("%d notifications never arrived: the follower did not keep up", want*subs-len(lags))
	}
	return nil
}
