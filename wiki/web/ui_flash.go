package web

import (
	"net/http"
	"sync"
	"time"
)

// Notices ("Page créée.", "Modifications fusionnées…") are left by the
// handler that redirects, on the server, for the next page of the same
// session at the redirect's target, and shown once. They used to travel in
// the URL (?msg=merged), so a bookmark or a shared link showed a notice
// about something that had not just happened.

// flashes are the notices a handler may leave: only these keys, each with
// its "flash.<key>" message.
var flashes = map[string]bool{"saved": true, "created": true, "merged": true, "unchanged": true, "reverted": true, "deleted": true, "moved": true, "unchanged_revert": true, "password": true, "token_revoked": true, "feedkey_revoked": true, "draft_dropped": true,
	"rules_saved": true, "member_saved": true, "invite_revoked": true, "reset_revoked": true, "group_saved": true, "mail_saved": true,
	"profile_saved": true}

// Bounds of the notices waiting: a notice not shown within flashTTL (the
// redirect was not followed) is dropped, and at most maxFlashes wait.
const (
	flashTTL   = 2 * time.Minute
	maxFlashes = 10000
)

// noticeBoard keeps one waiting notice per session, in memory: a notice
// lost in a restart costs nothing.
type noticeBoard struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[string]notice // by session secret
}

type notice struct {
	key, path string
	at        time.Time
}

func newNoticeBoard(now func() time.Time) *noticeBoard {
	if now == nil {
		now = time.Now
	}
	return &noticeBoard{now: now, m: map[string]notice{}}
}

// put leaves key for the next page of session at path.
func (b *noticeBoard) put(session, path, key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if len(b.m) >= maxFlashes {
		// The expired go, and when that is not enough, any half: a lost
		// notice costs nothing, and a full board is not scanned again at
		// every put.
		for s, n := range b.m {
			if now.Sub(n.at) > flashTTL || len(b.m) > maxFlashes/2 {
				delete(b.m, s)
			}
		}
	}
	b.m[session] = notice{key: key, path: path, at: now}
}

// take returns the notice waiting for session at path, once.
func (b *noticeBoard) take(session, path string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, ok := b.m[session]
	if !ok || n.path != path {
		return ""
	}
	delete(b.m, session)
	if b.now().Sub(n.at) > flashTTL {
		return ""
	}
	return n.key
}

// redirectNotice redirects to target, a local path without query, leaving
// the notice key for the page there (post/redirect/get).
func (s *ui) redirectNotice(w http.ResponseWriter, r *http.Request, c *uiCtx, target, key string) {
	if c.secret != "" && flashes[key] {
		s.notices.put(c.secret, target, key)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// flash returns the notice waiting for this page, translated, once.
func (c *uiCtx) flash() string {
	if c.secret == "" || c.r.Method != http.MethodGet {
		return ""
	}
	if key := c.s.notices.take(c.secret, c.r.URL.Path); flashes[key] {
		return c.L.T("flash." + key)
	}
	return ""
}
