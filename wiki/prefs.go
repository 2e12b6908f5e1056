package wiki

import "context"

// Prefs are what a member chose once for the pages they read, kept until
// they choose again. A member who never chose has the zero value.
type Prefs struct {
	Changes ChangeFilters // the filters of recent changes
}

// ChangeFilters are the filters of the recent changes page.
type ChangeFilters struct {
	HideMinor   bool // leave out minor edits
	HideImports bool // leave out imported revisions
	HideMine    bool // leave out the member's own edits
	Unreviewed  bool // only what nobody has reviewed yet
}

// PrefStore holds each member's preferences.
type PrefStore interface {
	// Prefs returns login's preferences: the zero Prefs when they never
	// chose, which is a value and not a missing thing.
	Prefs(ctx context.Context, login string) (Prefs, error)
	// PutPrefs replaces login's preferences.
	PutPrefs(ctx context.Context, login string, p Prefs) error
}

// Prefs returns actor's own preferences.
func (s *Service) Prefs(ctx context.Context, actor *User) (Prefs, error) {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return Prefs{}, err
	}
	return s.store.Prefs(ctx, actor.Login)
}

// SetPrefs replaces actor's own preferences. Callers write only when the
// member changes something, never on every view.
func (s *Service) SetPrefs(ctx context.Context, actor *User, p Prefs) error {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return err
	}
	return s.store.PutPrefs(ctx, actor.Login, p)
}

// Query applies the filters to q for actor (whose own edits HideMine
// leaves out).
func (f ChangeFilters) Query(q ChangeQuery, actor *User) ChangeQuery {
	q.HideMinor, q.HideImports, q.Unreviewed = f.HideMinor, f.HideImports, f.Unreviewed
	if f.HideMine && actor != nil {
		q.NotAuthor = actor.Login
	}
	return q
}

// DisplayNames returns, for each of logins, the name to show: the member's
// display name, else the login itself (a member since removed, or one
// without a name). One store read, however many logins.
func (s *Service) DisplayNames(ctx context.Context, actor *User, logins []string) (map[string]string, error) {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return nil, err
	}
	names, err := s.store.UserNames(ctx, logins)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(logins))
	for _, l := range logins {
		if n := names[l]; n != "" {
			out[l] = n
		} else {
			out[l] = l
		}
	}
	return out, nil
}
