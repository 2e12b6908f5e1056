package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/kdecole-club/clubwiki/wiki"
)

// pagePath canonicalises the {path...} of the request. PathValue is already
// percent-decoded (an encoded slash included), so "Probl%C3%A8me" arrives as
// "Problème" and is canonicalised like any other spelling.
func (s *core) pagePath(r *http.Request) (wiki.Path, error) {
	return s.svc.ResolvePath(r.Context(), r.PathValue("path"))
}

// queryInt reads a non-negative integer query parameter; def when absent or
// empty. Anything else is a 400 rather than a silent default, so that a typo
// in a script shows.
func queryInt(q url.Values, name string, def int) (int, bool, error) {
	v := q.Get(name)
	if v == "" {
		return def, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, false, wiki.Errorf(wiki.EInvalid, "the parameter %q must be a whole number, 0 or more", name)
	}
	return n, true, nil
}

// queryFlag reads a yes/no query parameter: "1" or "true" is yes, absent,
// empty, "0" or "false" no; anything else is a 400.
func queryFlag(q url.Values, name string) (bool, error) {
	switch q.Get(name) {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, wiki.Errorf(wiki.EInvalid, "the parameter %q must be 1 or 0", name)
}

// revParam reads the ?rev=N of a page read; set is false without it. The
// query is parsed only when there is one: page reads are the hot path.
func revParam(r *http.Request) (rev int, set bool, err error) {
	if r.URL.RawQuery == "" {
		return 0, false, nil
	}
	return queryInt(r.URL.Query(), "rev", 0)
}

// revisionNumber reads the revision a form or link names for a revert: a
// whole number from 1.
func revisionNumber(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, wiki.Errorf(wiki.EInvalid, "rev must be a revision number")
	}
	return n, nil
}

// listParams reads the limit and offset of a list. The service applies the
// default and the maximum.
func listParams(q url.Values) (limit, offset int, err error) {
	if limit, _, err = queryInt(q, "limit", 0); err != nil {
		return 0, 0, err
	}
	if offset, _, err = queryInt(q, "offset", 0); err != nil {
		return 0, 0, err
	}
	return limit, offset, nil
}

// diffParams reads the from and to of a diff, API or page. to is 0 for the
// head; fromSet tells from=0 (the empty text) apart from no from at all
// (the revision before to).
func diffParams(q url.Values) (from, to int, fromSet bool, err error) {
	if from, fromSet, err = queryInt(q, "from", 0); err != nil {
		return 0, 0, false, err
	}
	if to, _, err = queryInt(q, "to", 0); err != nil {
		return 0, 0, false, err
	}
	return from, to, fromSet, nil
}

// querySeq reads a change sequence number; 0 when absent.
func querySeq(q url.Values, name string) (uint64, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, wiki.Errorf(wiki.EInvalid, "the parameter %q must be a change number, 0 or more", name)
	}
	return n, nil
}

// profileURL is the path of a member's profile page (ui_profiles.go).
func profileURL(login string) string { return "/membres/" + url.PathEscape(login) }
