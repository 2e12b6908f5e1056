package wiki

import (
	"cmp"
	"context"
	"strings"
)

// maxAuthorLogins bounds the logins one auteur: value stands for (a first
// name many members share).
const maxAuthorLogins = 20

// resolveAuthors reads each auteur: filter of q as the members it names:
// their login or display name, accents, case and punctuation aside
// ("auteur:mblanchard", "auteur:\"Marie Blanchard\"", "auteur:marie
// blanchard" in quotes), or one whole word of the display name, a first
// name or a surname ("auteur:marie", "auteur:Blanchard"). The value itself
// still matches the authors named in front matter.
func (s *Service) resolveAuthors(ctx context.Context, q *SearchQuery) error {
	var users []User
	for _, f := range q.Filters {
		if f.Field != FieldAuthor {
			continue
		}
		if users == nil {
			all, err := s.store.Users(ctx)
			if err != nil {
				return err
			}
			users = append(all, User{}) // not nil once read
		}
		if logins := namedBy(f.Value, users); len(logins) > 0 {
			if q.Authors == nil {
				q.Authors = map[string][]string{}
			}
			q.Authors[f.Value] = logins
		}
	}
	return nil
}

// namedBy returns the logins of users that value names.
func namedBy(value string, users []User) []string {
	v := Canonical(value)
	if v == "" {
		return nil
	}
	var out []string
	for _, u := range users {
		if u.Login == "" || len(out) == maxAuthorLogins {
			continue
		}
		name := Canonical(u.Name)
		if v == Canonical(u.Login) || v == name || !strings.Contains(v, "-") && hasWord(name, v) {
			out = append(out, u.Login)
		}
	}
	return out
}

// hasWord says whether w is one of the words of the canonical name.
func hasWord(name, w string) bool {
	for part := range strings.SplitSeq(name, "-") {
		if part == w {
			return true
		}
	}
	return false
}

// nameAuthors fills in the last editor of each hit and their display
// name, read in one transaction.
func (s *Service) nameAuthors(ctx context.Context, hits []SearchHit) error {
	logins := make([]string, 0, len(hits))
	for i := range hits {
		h, err := s.store.Head(ctx, hits[i].Path)
		if ErrorCode(err) == ENotFound {
			continue // deleted since the search
		} else if err != nil {
			return err
		}
		hits[i].Author = h.Author
		logins = append(logins, h.Author)
	}
	names, err := s.store.UserNames(ctx, logins)
	if err != nil {
		return err
	}
	for i := range hits {
		hits[i].AuthorName = cmp.Or(names[hits[i].Author], hits[i].Author)
	}
	return nil
}

// nameFacetAuthors labels the values of the authors facet (logins) with
// the members' display names.
func (s *Service) nameFacetAuthors(ctx context.Context, counts []FacetCount) error {
	if len(counts) == 0 {
		return nil
	}
	logins := make([]string, len(counts))
	for i, c := range counts {
		logins[i] = c.Value
	}
	names, err := s.store.UserNames(ctx, logins)
	if err != nil {
		return err
	}
	for i := range counts {
		if n := names[counts[i].Value]; n != "" && n != counts[i].Value {
			counts[i].Label = n
		}
	}
	return nil
}
