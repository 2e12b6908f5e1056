package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// buildClubwiki builds ./cmd/clubwiki of the module the bench runs in.
func buildClubwiki(dir string) (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" || strings.TrimSpace(string(out)) == os.DevNull {
		return "", fmt.Errorf("run the bench inside the clubwiki module, or give -bin (go env GOMOD: %v)", err)
	}
	bin := filepath.Join(dir, "clubwiki")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/clubwiki")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(out)))
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building clubwiki: %w\n%s", err, b)
	}
	return bin, nil
}

// cli runs one clubwiki command on the data folder with stdin and returns
// its stdout, trimmed.
func cli(bin, data, stdin string, args ...string) (string, error) {
	cmd := exec.Command(bin, append(args, "--data", data)...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("clubwiki %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(stdout.String()), nil
}

// server is a running "clubwiki serve".
type server struct {
	cmd    *exec.Cmd
	url    string
	log    string        // file receiving the server's stderr
	exited chan struct{} // closed when the process has ended
	state  *os.ProcessState
}

var servingURL = regexp.MustCompile(`url=(http://[^ /]+)`)

// startServer runs serve on a free loopback port and waits until it
// answers /healthz.
func startServer(bin, data, logName string, extra []string) (*server, error) {
	logf, err := os.Create(logName)
	if err != nil {
		return nil, err
	}
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data}, extra...)
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		logf.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	s := &server{cmd: cmd, log: logName, exited: make(chan struct{})}
	urls := make(chan string, 1)
	go func() {
		defer logf.Close()
		sc := bufio.NewScanner(stderr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			fmt.Fprintln(logf, sc.Text())
			if m := servingURL.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case urls <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(logf, stderr)
		_ = cmd.Wait()
		s.state = cmd.ProcessState
		close(s.exited)
	}()
	select {
	case s.url = <-urls:
	case <-s.exited:
		return nil, fmt.Errorf("clubwiki serve stopped at start (%s); its log:\n%s", s.state, s.tail())
	case <-time.After(60 * time.Second):
		s.stop()
		return nil, fmt.Errorf("clubwiki serve did not start in 60 s; its log:\n%s", s.tail())
	}
	return s, s.waitHealthy()
}

func (s *server) waitHealthy() error {
	for range 100 {
		resp, err := http.Get(s.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop()
	return errors.New("clubwiki serve did not answer /healthz in 10 s")
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// alive reports whether the server process is still running.
func (s *server) alive() bool {
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// stop asks the server to stop (SIGTERM) and kills it if it has not
// within 5 s: requests stuck in a render would hold it for the 30 s grace.
func (s *server) stop() {
	if !s.alive() {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// kill ends the server at once (the memory guard).
func (s *server) kill() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// tail returns the end of the server's log.
func (s *server) tail() string {
	b, _ := os.ReadFile(s.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// waitCtx sleeps d or until ctx ends.
func waitCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
