package wiki

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Bounds of presence: an editor is forgotten PresenceTTL after its last
// heartbeat; the board holds at most maxPresencePages pages and
// maxPresenceEditors editors per page, so that heartbeats for made-up
// pages cannot grow memory. Past either bound a heartbeat is still
// answered, only not recorded: presence never refuses or blocks anyone.
const (
	PresenceTTL        = 2 * time.Minute
	maxPresencePages   = 10000
	maxPresenceEditors = 50
)

// Editor is a member who has a page open in an editor.
type Editor struct {
	Login   string
	Name    string
	Since   time.Time // when they opened it
	Unsaved bool      // they have typed something they have not saved
	last    time.Time
}

// Presence is what a heartbeat answers: the other editors of the page and
// its head revision, so that an editor learns at once that someone saved.
type Presence struct {
	Editors []Editor
	HeadRev int
}

// presenceBoard is who edits what, in memory only: it is a hint between
// people, rebuilt within one heartbeat after a restart.
type presenceBoard struct {
	mu    sync.Mutex
	pages map[Path]map[string]*Editor
}

// Heartbeat records that actor has p open in an editor (or left it, with
// leaving) and returns the others who have it open. Anyone who may read
// the page may say so and see who edits it.
func (s *Service) Heartbeat(ctx context.Context, actor *User, p Path, unsaved, leaving bool) (Presence, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return Presence{}, err
	}
	if p.IsZero() {
		return Presence{}, Errorf(EInvalid, "missing page path")
	}
	head, _, err := s.head(ctx, p)
	if err != nil {
		return Presence{}, err
	}
	eds := s.presence.beat(p, actor, s.cfg.Now(), unsaved, leaving)
	return Presence{Editors: eds, HeadRev: head.Rev}, nil
}

func (b *presenceBoard) beat(p Path, actor *User, now time.Time, unsaved, leaving bool) []Editor {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pages == nil {
		b.pages = map[Path]map[string]*Editor{}
	}
	eds := b.pages[p]
	expire(eds, now)
	if leaving {
		delete(eds, actor.Login)
	} else if e := eds[actor.Login]; e != nil {
		e.last, e.Unsaved, e.Name = now, unsaved, actor.Name
	} else if b.room(p, now) {
		if eds == nil {
			eds = map[string]*Editor{}
			b.pages[p] = eds
		}
		if len(eds) < maxPresenceEditors {
			eds[actor.Login] = &Editor{Login: actor.Login, Name: actor.Name, Since: now, Unsaved: unsaved, last: now}
		}
	}
	if len(eds) == 0 {
		delete(b.pages, p)
	}
	out := make([]Editor, 0, len(eds))
	for login, e := range eds {
		if login != actor.Login {
			out = append(out, *e)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Since.Before(out[j].Since) || out[i].Since.Equal(out[j].Since) && out[i].Login < out[j].Login
	})
	return out
}

// room reports whether a new page may be recorded besides p: when the
// board is full it first sweeps the expired editors of every page.
func (b *presenceBoard) room(p Path, now time.Time) bool {
	if _, ok := b.pages[p]; ok || len(b.pages) < maxPresencePages {
		return true
	}
	for q, eds := range b.pages {
		if expire(eds, now); len(eds) == 0 {
			delete(b.pages, q)
		}
	}
	return len(b.pages) < maxPresencePages
}

// expire forgets the editors silent for PresenceTTL or more.
func expire(eds map[string]*Editor, now time.Time) {
	for login, e := range eds {
		if now.Sub(e.last) >= PresenceTTL {
			delete(eds, login)
		}
	}
}
