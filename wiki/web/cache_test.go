package web

import (
	"bytes"
	"fmt"
	"testing"
)

func TestBodyCache_Put(t *testing.T) {
	t.Run("bounded by the budget", func(t *testing.T) {
		c := newBodyCache[[]byte](8000)
		for i := range 100 {
			c.put(fmt.Sprintf("club/p%d", i), 1, `"1-0"`, make([]byte, 900))
		}
		n, used := c.len()
		if used > 8000 || n != 8 {
			t.Errorf("%d entries, %d bytes; want 8 within 8000", n, used)
		}
		if c.get("club/p0", 1, `"1-0"`) != nil {
			t.Errorf("the oldest entry survived")
		}
		if c.get("club/p99", 1, `"1-0"`) == nil {
			t.Errorf("the newest entry is gone")
		}
	})
	t.Run("least recently used goes first", func(t *testing.T) {
		c := newBodyCache[[]byte](8000)
		for i := range 8 {
			c.put(fmt.Sprintf("club/p%d", i), 1, "e", make([]byte, 1000))
		}
		c.get("club/p0", 1, "e")
		c.put("club/neuf", 1, "e", make([]byte, 1000)) // over budget: drops p1
		if c.get("club/p0", 1, "e") == nil || c.get("club/p1", 1, "e") != nil || c.get("club/neuf", 1, "e") == nil {
			t.Errorf("wrong entry evicted")
		}
	})
	t.Run("new ETag replaces in place", func(t *testing.T) {
		c := newBodyCache[[]byte](1 << 20)
		c.put("club/a", 2, `"2-1"`, []byte("ancien"))
		c.put("club/a", 2, `"2-2"`, []byte("nouveau!"))
		if c.get("club/a", 2, `"2-1"`) != nil {
			t.Errorf("stale ETag answered")
		}
		if got := c.get("club/a", 2, `"2-2"`); !bytes.Equal(got, []byte("nouveau!")) {
			t.Errorf("got %q", got)
		}
		if n, used := c.len(); n != 1 || used != len("nouveau!") {
			t.Errorf("%d entries, %d bytes", n, used)
		}
	})
	t.Run("huge bodies are not kept", func(t *testing.T) {
		c := newBodyCache[[]byte](8000)
		c.put("club/enorme", 1, "e", make([]byte, 1001))
		if n, _ := c.len(); n != 0 {
			t.Errorf("kept a body over an eighth of the budget")
		}
	})
}

func TestServer_PageCacheBounded(t *testing.T) {
	e := newTestEnvWith(t, envOptions{server: Options{PageCacheBytes: 16 << 10}})
	for i := range 20 {
		path := fmt.Sprintf("club/page-%d", i)
		e.save(path, fmt.Sprintf("# Page %d\n\n%s\n", i, bytes.Repeat([]byte("du texte en français "), 40)), 0, 201)
		wantStatusCode(t, e.do("GET", "/api/pages/"+path, e.reader, nil), 200)
	}
	if _, used := e.srv.api.pages.len(); used > 16<<10 {
		t.Errorf("page cache holds %d bytes, budget %d", used, 16<<10)
	}
}
