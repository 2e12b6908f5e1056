package e2e

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// lockDeadline is a hang check, not a performance assertion: a command that
// waited for the lock would never end. The wall time here includes starting
// a race-instrumented process on a loaded machine (6 s was seen while other
// test binaries ran; a package being installed at the same time slows it
// further, so 10 s left too little room); the 1 s lock timeout itself is
// pinned by the store's TestDB_Open lock test, in process. All but the
// second serve shorten it with --lock-wait: they check the refusal, not
// the length of the wait.
const lockDeadline = 30 * time.Second

// shortLockWait is the --lock-wait of commands expected to find the data
// folder in use.
var shortLockWait = []string{"--lock-wait", "100ms"}

func TestServe_FirstStartLockAndRestart(t *testing.T) {
	skipShort(t)
	t.Parallel()
	data := filepath.Join(t.TempDir(), "données")

	srv := startServer(t, data)
	if !srv.banner {
		t.Errorf("no admin password banner on the first start; stderr:\n%s", srv.log())
	}
	if !strings.Contains(srv.log(), "clubwiki user passwd admin") {
		t.Errorf("the banner does not say how to change the password; stderr:\n%s", srv.log())
	}
	resp, err := http.Get(srv.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "ok" {
		t.Errorf("GET /healthz: %d %q, want 200 ok", resp.StatusCode, body)
	}

	for _, tc := range []struct {
		name string
		args []string
	}{
		{"user add", append([]string{"user", "add", "alice", "--role", "editor"}, shortLockWait...)},
		{"token create", append([]string{"token", "create", "admin"}, shortLockWait...)},
		{"second serve", []string{"serve", "--addr", "127.0.0.1:0"}}, // the default wait
		{"check", append([]string{"check"}, shortLockWait...)},
	} {
		t.Run("data folder in use/"+tc.name, func(t *testing.T) {
			r := cli(t, "", append(tc.args, "--data", data)...)
			if r.elapsed > lockDeadline {
				t.Errorf("took %v with the data folder in use, want < %v", r.elapsed, lockDeadline)
			}
			if r.code != 1 {
				t.Errorf("exit %d, want 1", r.code)
			}
			if !strings.Contains(r.stderr, "in use") {
				t.Errorf("stderr should say the data folder is in use; got:\n%s", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
	srv.stop()

	// The failed commands did nothing: alice does not exist.
	r := cli(t, "", "token", "create", "alice", "--data", data)
	if r.code != 1 {
		t.Errorf("token create for alice: exit %d, want 1 (the locked user add must not have created her)", r.code)
	}

	srv = startServer(t, data)
	if srv.banner || strings.Contains(srv.log(), "password") {
		t.Errorf("the admin password banner came back on the second start; stderr:\n%s", srv.log())
	}
	srv.stop()
	if r := mustCLI(t, "", "check", "--data", data); !strings.HasSuffix(r.stdout, "ok\n") {
		t.Errorf("check: %q, want a report ending with ok", r.stdout)
	}
}

// waitRefusing waits until the server at url accepts no more connections:
// it has begun to shut down (its listener is closed first).
func waitRefusing(t *testing.T, url string) {
	t.Helper()
	addr := strings.TrimPrefix(url, "http://")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatalf("%s still accepts connections 10 s after SIGTERM", url)
		}
	}
}

// TestServe_GracefulStop sends SIGTERM while a save is still uploading its
// body: the save must complete, be acknowledged, and survive the restart.
func TestServe_GracefulStop(t *testing.T) {
	skipShort(t)
	t.Parallel()
	data := t.TempDir()
	tok := token(t, data, "alice", "editor")
	srv := startServer(t, data)

	const path = "club/reunion-de-printemps"
	const md = "# Réunion de printemps\n\nOrdre du jour : bilan de l'année, élection du bureau, questions diverses.\n"
	full := `{"markdown":"# Réunion de printemps\n\nOrdre du jour : bilan de l'année, élection du bureau, questions diverses.\n","base_rev":0}`
	// The save is written by hand on a connection of its own, so that the
	// test knows what the server has read of it.
	addr := strings.TrimPrefix(srv.url, "http://")
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// "Expect: 100-continue" makes the server answer "100 Continue" when
	// the handler first reads the body: once the test has read it, the
	// request is in the hands of the handler. (net/http drops a request
	// whose headers it finished reading after shutdown began, so a signal
	// sent earlier could race with the parsing of the headers.)
	head := fmt.Sprintf("PUT /api/pages/%s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", path, addr, tok, len(full))
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	br := bufio.NewReader(conn)
	status, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(status, "HTTP/1.1 100 ") {
		t.Fatalf("want 100 Continue before the body, got %q, %v\nstderr:\n%s", status, err, srv.log())
	}
	if blank, err := br.ReadString('\n'); err != nil || blank != "\r\n" {
		t.Fatalf("100 Continue not followed by an empty line: %q, %v", blank, err)
	}
	half := len(full) / 2
	if _, err := io.WriteString(conn, full[:half]); err != nil {
		t.Fatal(err)
	}
	waitRead(t, conn)
	srv.signalStop()
	waitRefusing(t, srv.url) // the server is now shutting down
	if _, err := io.WriteString(conn, full[half:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("in-flight PUT during shutdown: %v\nstderr:\n%s", err, srv.log())
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("in-flight PUT during shutdown: status %d, err %v, body %s", resp.StatusCode, err, body)
	}
	if code := srv.wait(); code != 0 {
		t.Fatalf("serve exit %d after SIGTERM, want 0\nstderr:\n%s", code, srv.log())
	}
	if !strings.Contains(srv.log(), "stopped") {
		t.Errorf("no stop message on stderr:\n%s", srv.log())
	}

	srv = startServer(t, data)
	var page pageAnswer
	srv.client(tok).call(t, http.MethodGet, "/api/pages/"+path, nil, http.StatusOK, &page)
	if page.Markdown != md || page.Rev != 1 {
		t.Errorf("after restart: rev %d markdown %q, want rev 1 %q", page.Rev, page.Markdown, md)
	}
	srv.stop()
}
