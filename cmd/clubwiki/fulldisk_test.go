//go:build linux

package main

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// mountSmallDisk mounts a tmpfs of that size for the test, or skips it
// saying why (mounting needs root; CI runs as root).
func mountSmallDisk(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("a real full disk needs a small tmpfs, and mounting one needs root (CI runs as root)")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v): the fault-injection tests in search cover the follower", err)
	}
	// Registered before the wiki starts, so it runs after the wiki closed.
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmounting %s: %v", dir, err)
		}
	})
	return dir
}

// fillDisk writes a file until the disk in dir has no byte left.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "remplissage")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, size := range []int{1 << 20, 4 << 10, 512, 1} {
		chunk := make([]byte, size)
		for {
			if _, err = f.Write(chunk); err != nil {
				break
			}
		}
		if !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("filling the disk: %v", err)
		}
	}
	return path
}

// bigText is a page of about n bytes that compression does not shrink
// much: it needs the store file to grow.
func bigText(n int) string {
	r := rand.New(rand.NewPCG(7, 7))
	var sb strings.Builder
	sb.WriteString("# Gros compte rendu\n\nmarqueurtexte ")
	for sb.Len() < n {
		for range 3 + r.IntN(8) {
			sb.WriteByte(byte('a' + r.IntN(26)))
		}
		sb.WriteByte(' ')
	}
	return sb.String()
}

func TestServe_FullDisk(t *testing.T) {
	data := filepath.Join(mountSmallDisk(t, "24m"), "data")
	w := startWiki(t, data, "")
	w.mustSave("club/avant", "# Avant\n\nLe mot zorglub, écrit avant.\n")
	w.waitSearch("zorglub", func(a searchAnswer) bool { return a.Total == 1 && !a.Partial })
	filler := fillDisk(t, filepath.Dir(data))

	t.Run("a save is refused, saying the disk is full", func(t *testing.T) {
		status, e := w.save("club/gros", bigText(256<<10))
		if status != http.StatusInsufficientStorage || e.Error.Code != "insufficient_storage" ||
			!strings.Contains(e.Error.Message, "disk") || !strings.Contains(e.Error.Message, "full") {
			t.Errorf("save on a full disk: %d %+v, want 507 insufficient_storage saying the disk is full", status, e)
		}
	})
	t.Run("the edit form says it in French and keeps the text", func(t *testing.T) {
		status, body := w.postEdit("club/gros", bigText(256<<10))
		if status != http.StatusInsufficientStorage || !strings.Contains(body, "Le disque du serveur est plein") ||
			!strings.Contains(body, "marqueurtexte") {
			t.Errorf("edit form on a full disk: %d, message or text missing", status)
		}
	})
	t.Run("small saves the store still has room for", func(t *testing.T) {
		// bbolt may reuse free pages of its file while the index has no
		// room for its segment: the follower fails (bleve panicked and
		// the process exited) and searches still answer.
		saved := 0
		for i := range 20 {
			status, e := w.save(fmt.Sprintf("club/petite-%d", i), fmt.Sprintf("# Petite\n\nLe mot zorglub, petite %d.\n", i))
			switch status {
			case http.StatusOK, http.StatusCreated:
				saved++
			case http.StatusInsufficientStorage:
			default:
				t.Fatalf("small save %d: %d %+v", i, status, e)
			}
		}
		if a := w.search("zorglub"); a.Total < 1 {
			t.Errorf("search on a full disk: %+v\n%s", a, w.log)
		}
		if saved > 0 { // the index is behind, and says so
			w.waitSearch("zorglub", func(a searchAnswer) bool { return a.Partial && a.Total >= 1 })
		}
		t.Logf("%d small saves of 20 went through", saved)
	})
	resp, err := http.Get(w.srv.URL + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz on a full disk: %v %v", resp, err)
	}
	resp.Body.Close()
	// Restarted with the disk still full, searches answered 500.
	w.close()
	w = startWiki(t, data, w.token)
	if a := w.search("zorglub"); a.Total < 1 {
		t.Errorf("search after a restart on the full disk: %+v\n%s", a, w.log)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	t.Run("everything resumes once space is back", func(t *testing.T) {
		w.mustSave("club/apres", "# Après\n\nLe mot xylophone, écrit quand il y a de la place.\n")
		w.waitSearch("xylophone", func(a searchAnswer) bool { return a.Total == 1 && !a.Partial })
	})
}

// postEdit signs in as admin and posts the edit form of a new page, as a
// browser does; it returns the status and the HTML.
func (w *liveWiki) postEdit(path, md string) (int, string) {
	w.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(w.srv.URL+"/login", url.Values{"login": {"admin"}, "password": {w.pw}, "next": {"/"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		w.t.Fatalf("signing in: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = c.PostForm(w.srv.URL+"/edit/"+path, url.Values{"markdown": {md}, "base_rev": {"0"}, "summary": {"gros"}})
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
