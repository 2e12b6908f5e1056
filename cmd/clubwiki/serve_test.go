package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestRun_DataFolderInUse(t *testing.T) {
	data := t.TempDir()
	held := openData(t, data)
	defer held.Close()
	for _, args := range [][]string{
		{"user", "add", "bob"},
		{"token", "create", "admin"},
		{"check"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			// A short wait: the default one is pinned by the store's tests.
			r := runCLI(t, "", append(args, "--data", data, "--lock-wait", "20ms")...)
			if r.code != exitFail {
				t.Fatalf("exit %d, want %d", r.code, exitFail)
			}
			if !strings.Contains(r.stderr, "in use") {
				t.Errorf("stderr should say the data folder is in use; got:\n%s", r.stderr)
			}
		})
	}
}

func TestRun_ServeStopsOnCancel(t *testing.T) {
	paged := executablePaged.Load()
	data := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data}, strings.NewReader(""), io.Discard, pw)
		pw.Close()
		done <- code
	}()
	var stderr bytes.Buffer
	buf := make([]byte, 4096)
	for !strings.Contains(stderr.String(), "clubwiki is serving") {
		n, err := pr.Read(buf)
		stderr.Write(buf[:n])
		if err != nil {
			t.Fatalf("serve stopped before serving: %v\n%s", err, stderr.String())
		}
	}
	if !strings.Contains(stderr.String(), `Created the user "admin"`) {
		t.Errorf("no admin password banner on first start:\n%s", stderr.String())
	}
	cancel()
	go io.Copy(io.Discard, pr)
	if code := <-done; code != exitOK {
		t.Errorf("serve exit %d after cancel, want 0", code)
	}
	if executablePaged.Load() == paged {
		t.Error("serve did not page its executable (mapped.PageExecutable)")
	}
}

func TestRun_ServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := t.TempDir()
	r := runCLI(t, "", "serve", "--addr", ln.Addr().String(), "--data", data)
	if r.code != exitFail {
		t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitFail, r.stderr)
	}
	if !strings.Contains(r.stderr, "listening on") || strings.Contains(r.stderr, "password") {
		t.Errorf("stderr should only say the address is taken:\n%s", r.stderr)
	}
	a := openData(t, data)
	if _, err := a.svc.User(t.Context(), "admin"); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Errorf("a serve that could not listen created admin (err %v)", err)
	}
}
