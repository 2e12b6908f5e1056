package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
)

// damagedPage is short enough to be stored raw, so flipping its bytes in
// the file changes the text without breaking any decoding.
const damagedPage = "# Procédure\n\nLe référent numérique relance la synchronisation des " +
	"emplois du temps dans l'ENT chaque lundi matin, avant la première heure, puis " +
	"vérifie avec la vie scolaire que les absences remontent bien vers les familles. " +
	"En cas d'échec, il ouvre un ticket auprès de l'hébergeur et prévient la direction.\n"

// damagedData makes a data folder holding usages/procedure, closes it and
// damages its store file with fn.
func damagedData(t *testing.T, fn func([]byte) []byte) string {
	t.Helper()
	data := t.TempDir()
	tree := writeTree(t, map[string]string{"procedure.md": damagedPage})
	mustRun(t, "", "import", tree, "--ns", "usages", "--data", data)
	if err := hostile.Damage(filepath.Join(data, dbFile), fn); err != nil {
		t.Fatal(err)
	}
	return data
}

// flipPageText flips bytes inside every stored copy of damagedPage, all
// but its first and last 20.
var flipPageText = hostile.FlipText(damagedPage, 20, len(damagedPage)-40)

// runBounded is runCLI with a deadline, for serve on a file it might wrongly
// accept: it would then serve until the deadline instead of failing.
func runBounded(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code := run(ctx, args, strings.NewReader(""), &out, &errb)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func TestRun_DamagedStore(t *testing.T) {
	tests := []struct {
		name   string
		damage func([]byte) []byte
		want   string // on stderr
	}{
		{"empty file", hostile.Emptied, "is empty: not creating a new wiki over it"},
		{"truncated to half", hostile.Halved, "is truncated"},
		{"first meta page", hostile.BoltMeta(0), "meta page 0) is damaged"},
		{"second meta page", hostile.BoltMeta(1), "meta page 1) is damaged"},
	}
	for _, tt := range tests {
		for _, cmd := range []string{"check", "serve"} {
			t.Run(tt.name+"/"+cmd, func(t *testing.T) {
				data := damagedData(t, tt.damage)
				before, _ := os.ReadFile(filepath.Join(data, dbFile))
				args := []string{cmd, "--data", data}
				if cmd == "serve" {
					args = append(args, "--addr", "127.0.0.1:0")
				}
				r := runBounded(t, args...)
				if r.code != exitFail {
					t.Errorf("exit %d, want %d", r.code, exitFail)
				}
				if !strings.Contains(r.stderr, tt.want) || strings.Contains(r.stderr, "goroutine") {
					t.Errorf("stderr should say %q in one message, got:\n%s", tt.want, r.stderr)
				}
				if strings.Contains(r.stderr, "password") {
					t.Errorf("a new admin was created over the damaged file:\n%s", r.stderr)
				}
				if after, _ := os.ReadFile(filepath.Join(data, dbFile)); !bytes.Equal(before, after) {
					t.Errorf("the damaged file was changed (%d bytes, now %d)", len(before), len(after))
				}
			})
		}
	}
}

// Without a backup, the operator may take the store back to its previous
// save; after that every command opens it again.
func TestRun_CheckAcceptRollback(t *testing.T) {
	data := damagedData(t, hostile.BoltMeta(0))
	if r := runCLI(t, "", "check", "--data", data); r.code != exitFail || !strings.Contains(r.stderr, "--accept-rollback") {
		t.Fatalf("check: exit %d, stderr should name the way out:\n%s", r.code, r.stderr)
	}
	r := mustRun(t, "", "check", "--accept-rollback", "--data", data)
	if !strings.HasSuffix(r.stdout, "ok\n") {
		t.Errorf("check --accept-rollback: %q", r.stdout)
	}
	mustRun(t, "", "check", "--data", data)
}

func TestRun_CheckFlippedText(t *testing.T) {
	data := damagedData(t, flipPageText)
	r := runCLI(t, "", "check", "--data", data)
	if r.code != exitFail {
		t.Errorf("exit %d, want %d; stdout:\n%s", r.code, exitFail, r.stdout)
	}
	if !strings.Contains(r.stdout, "damage: usages/procedure revision 1") {
		t.Errorf("the report does not name the damaged page:\n%s", r.stdout)
	}

	// The server refuses the damaged text rather than showing it.
	a := openData(t, data)
	pv, err := a.svc.Page(t.Context(), wiki.System(), wiki.MustPath("usages/procedure"), 0)
	if err == nil {
		t.Fatalf("the damaged page was served: %q", pv.Markdown)
	}
	if wiki.ErrorCode(err) != wiki.EInternal || !strings.Contains(err.Error(), "usages/procedure revision 1 is damaged") {
		t.Errorf("err = %v, want an internal error naming the damaged revision", err)
	}
}

// The running server answers a damaged page with a 500 and logs which
// revision is damaged; it never sends the damaged text.
func TestRun_ServeDamagedText(t *testing.T) {
	data := damagedData(t, flipPageText)
	mustRun(t, "", "user", "add", "bob", "--data", data)
	token := singleLine(t, mustRun(t, "", "token", "create", "bob", "--data", data).stdout)

	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data}, strings.NewReader(""), io.Discard, pw)
		pw.Close()
		done <- code
	}()
	var logs syncBuffer
	url := waitServing(t, pr, &logs)
	go io.Copy(&logs, pr)
	defer func() {
		cancel()
		<-done
	}()

	req, _ := http.NewRequestWithContext(t.Context(), "GET", url+"api/pages/usages/procedure", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), `"internal"`) {
		t.Errorf("GET a damaged page: %d %s", resp.StatusCode, body)
	}
	const want = "usages/procedure revision 1 is damaged"
	for wait := time.Now(); !strings.Contains(logs.String(), want) && time.Since(wait) < 5*time.Second; {
		time.Sleep(20 * time.Millisecond) // the log line comes through a pipe
	}
	if !strings.Contains(logs.String(), want) {
		t.Errorf("the log does not name the damaged revision:\n%s", logs.String())
	}
}

// waitServing reads the server's log until it says where it serves, and
// returns that URL.
func waitServing(t *testing.T, r io.Reader, logs *syncBuffer) string {
	t.Helper()
	buf := make([]byte, 4096)
	for {
		s := logs.String()
		if _, after, ok := strings.Cut(s, "url="); ok {
			if u, _, ok := strings.Cut(after, " "); ok {
				return strings.Trim(u, `"`)
			}
		}
		n, err := r.Read(buf)
		logs.Write(buf[:n])
		if err != nil {
			t.Fatalf("serve stopped before serving: %v\n%s", err, logs.String())
		}
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
