// Package e2e drives the clubwiki binary from the outside, as CONTRACT.md's
// callers do: it builds cmd/clubwiki once, runs its commands and servers as
// processes, and speaks HTTP to them. `go test -short` skips it.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/kdecole-club/clubwiki/internal/testgc"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// raceEnabled is set by race_test.go: the binary under test is then built
// with the race detector too, and a race makes it exit with a non-zero code.
var raceEnabled bool

// binary is the clubwiki executable under test, built by TestMain while the
// browser tests, which serve in process, start; built is closed when the
// build has ended, and buildErr says how. Use clubwiki to get it.
var (
	binary   string
	buildErr error
	built    = make(chan struct{})
)

func TestMain(m *testing.M) {
	flag.Parse()
	testgc.Relax()
	waitingParallel()
	if testing.Short() {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "clubwiki-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	go func() {
		defer close(built)
		binary, buildErr = build(dir)
	}()
	code := m.Run()
	<-built
	stopBrowser()
	os.RemoveAll(dir)
	if buildErr != nil {
		fmt.Fprintln(os.Stderr, "e2e: building clubwiki:", buildErr)
		code = 1
	}
	os.Exit(code)
}

// waitingParallel lets more of the package's tests run at once than the
// processors (go test's default for -parallel) unless -parallel was given:
// a browser test spends most of its time waiting for Chromium and for
// the server, so with two processors two at a time left a processor idle
// most of the run. Twice the processors, not more: each test holds a tab,
// and each tab past those the pool keeps is a new renderer process (about
// half a second of CPU). On two processors, four at a time took 33-38 s
// of CPU and 17-20 s for the package, eight 39-44 s and 20-23 s.
func waitingParallel() {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", strconv.Itoa(2*runtime.GOMAXPROCS(0)))
	}
}

// clubwiki waits for the build of the binary and returns its path.
func clubwiki(t *testing.T) string {
	t.Helper()
	<-built
	if buildErr != nil {
		t.Fatalf("building clubwiki: %v", buildErr)
	}
	return binary
}

// build compiles ./cmd/clubwiki of this module into dir.
func build(dir string) (string, error) {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	out := filepath.Join(dir, "clubwiki")
	// go run keeps the executables it links in the build cache, which go
	// build -o does not: with -exec cp, an unchanged command costs a cache
	// look-up and a copy instead of a link (about 3 s of CPU).
	args := []string{"run", "-exec", "cp"}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, "./cmd/clubwiki", out)...)
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%w\n%s", err, msg)
	}
	return out, nil
}

// childEnv is the environment of clubwiki processes. A race-enabled binary
// sleeps a second at exit by default, which would make every command of the
// suite a second slower; a race still makes it exit non-zero.
func childEnv() []string {
	env := os.Environ()
	if raceEnabled {
		env = append(env, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	}
	return env
}

// skipShort skips end-to-end tests under -short.
func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: skipped with -short")
	}
}

// cliResult is what one clubwiki command produced.
type cliResult struct {
	code           int
	stdout, stderr string
	elapsed        time.Duration
}

// cli runs clubwiki with args and stdin; a command running longer than a
// minute is killed (and the test fails on its exit code).
func cli(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	bin := clubwiki(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = childEnv()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := cliResult{stdout: out.String(), stderr: errb.String(), elapsed: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("clubwiki %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// mustCLI runs clubwiki and fails the test unless it exits 0.
func mustCLI(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	r := cli(t, stdin, args...)
	if r.code != 0 {
		t.Fatalf("clubwiki %s: exit %d\nstderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

// token creates a user with role and returns a new API token of theirs.
func token(t *testing.T, data, login, role string) string {
	t.Helper()
	mustCLI(t, "", "user", "add", login, "--role", role, "--data", data)
	tok := strings.TrimSpace(mustCLI(t, "", "token", "create", login, "--data", data).stdout)
	if !strings.HasPrefix(tok, "cw_") {
		t.Fatalf("token create printed %q", tok)
	}
	return tok
}

// server is a running `clubwiki serve`.
type server struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string // base URL without the trailing slash
	banner bool   // the admin password banner was printed before serving

	mu     sync.Mutex
	stderr bytes.Buffer
	exited chan struct{} // closed when the process has been waited for
	err    error         // from Wait, valid after exited
}

var servingURL = regexp.MustCompile(`msg="clubwiki is serving".* url=(http://\S+?)/?(\s|$)`)

// startServer runs `clubwiki serve` on a free loopback port and waits until
// it says it is serving. The process is killed when the test ends, if it is
// still running.
func startServer(t *testing.T, data string, extra ...string) *server {
	t.Helper()
	s := &server{t: t, exited: make(chan struct{})}
	s.cmd = exec.Command(clubwiki(t), append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data}, extra...)...)
	s.cmd.Env = childEnv()
	pipe, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			s.cmd.Process.Kill()
			<-s.exited
		}
	})
	found := make(chan string, 1)
	go s.readStderr(pipe, found)
	select {
	case u := <-found:
		s.url = u
	case <-s.exited:
		t.Fatalf("serve exited before serving: %v\nstderr:\n%s", s.err, s.log())
	case <-time.After(time.Minute):
		t.Fatalf("serve did not say it was serving within a minute\nstderr:\n%s", s.log())
	}
	return s
}

// readStderr keeps the server's stderr, reports the URL of the serving line
// on found, and reaps the process at the end of its output.
func (s *server) readStderr(pipe io.Reader, found chan<- string) {
	sc := bufio.NewScanner(pipe)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	serving := false
	for sc.Scan() {
		line := sc.Text()
		s.mu.Lock()
		s.stderr.WriteString(line + "\n")
		if !serving && strings.Contains(line, `Created the user "admin"`) {
			s.banner = true
		}
		s.mu.Unlock()
		if m := servingURL.FindStringSubmatch(line); m != nil && !serving {
			serving = true
			found <- m[1]
		}
	}
	io.Copy(io.Discard, pipe)
	s.err = s.cmd.Wait()
	close(s.exited)
}

// log returns what the server wrote on stderr so far.
func (s *server) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// signalStop sends SIGTERM.
func (s *server) signalStop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatalf("SIGTERM: %v", err)
	}
}

// wait waits for the process to end and returns its exit code.
func (s *server) wait() int {
	s.t.Helper()
	select {
	case <-s.exited:
	case <-time.After(45 * time.Second):
		s.t.Fatalf("the server did not exit within 45 s\nstderr:\n%s", s.log())
	}
	var ee *exec.ExitError
	if errors.As(s.err, &ee) {
		return ee.ExitCode()
	}
	if s.err != nil {
		s.t.Fatalf("waiting for the server: %v", s.err)
	}
	return 0
}

// stop sends SIGTERM and fails the test unless the server exits 0.
func (s *server) stop() {
	s.t.Helper()
	s.signalStop()
	if code := s.wait(); code != 0 {
		s.t.Fatalf("serve exit %d after SIGTERM, want 0\nstderr:\n%s", code, s.log())
	}
}

// kill kills the server with SIGKILL and waits for it.
func (s *server) kill() {
	s.cmd.Process.Kill()
	<-s.exited
}
