package web

import (
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"

	"github.com/kdecole-club/clubwiki/wiki"
)

// An edit conflict in the browser: the form comes back with both versions
// of each conflicting passage in the text, between the markers the API
// uses, and with base_rev unchanged. The form also carries head_rev, the
// head the member was shown. Saving the text as it comes back is refused
// (the markers are still there, so nobody's text is dropped); the member
// settles each passage by hand, or chooses explicitly to keep both
// versions or to put theirs in place of the other's.

// resolutions are the explicit choices of the conflict form's buttons.
var resolutions = map[string]wiki.Resolution{"both": wiki.KeepBoth, "mine": wiki.KeepMine}

// settleConflict returns the text to save from a conflict form: md as
// written when the member settled every passage by hand, or md with its
// passages settled as the chosen button says. problem is the catalogue key
// of why it cannot be saved yet ("" when it can).
func settleConflict(md, resolve string) (text, problem string) {
	if resolve == "" {
		if n, ok := wiki.ConflictRegions(md); n > 0 || !ok {
			return "", "edit.conflict_unresolved"
		}
		return md, ""
	}
	keep, known := resolutions[resolve]
	if !known {
		return "", "edit.conflict_unresolved"
	}
	text, ok := wiki.ResolveConflicts(md, keep)
	if !ok {
		return "", "edit.conflict_damaged"
	}
	return text, ""
}

// conflictForm shows the editor with the conflict text and the choices,
// and what changed from revision from to the head the member now sees;
// msgKey says why the form is back ("edit.conflict…"; its %d, if any, is
// the head's revision); regions, when known, give the screen region by
// region each one's base text.
func (s *ui) conflictForm(w http.ResponseWriter, r *http.Request, c *uiCtx, v editView, from int, msgKey string, regions []wiki.ConflictRegion) error {
	cv := &conflictView{BaseRev: from, HeadRev: v.HeadRev}
	p, err := s.pagePath(r)
	if err == nil {
		cv.Screen = s.conflictScreen(r, c, p, from, v.HeadRev, regions)
	}
	if err == nil && from < v.HeadRev {
		// Without the diff the form still works: the text holds both
		// versions. A failing diff is logged, not shown.
		err := guard("diffing a conflict", func() error {
			d, err := s.svc.Diff(r.Context(), c.User, p, from, v.HeadRev, true)
			if err == nil {
				cv.Diff = newDiffView(d)
			}
			return err
		})
		if err != nil {
			s.classify(r, err)
		}
	}
	v.Conflict, v.Message = cv, c.L.T(msgKey, v.HeadRev)
	w.Header()["Cache-Control"] = noStore
	s.render(w, r, http.StatusConflict, "edit", v)
	return nil
}

// guard runs f and turns a panic in it into an internal error, so that a
// save whose merge or diff breaks still comes back with the member's text
// rather than as a bare error page.
func guard(what string, f func() error) (err error) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			panic(v)
		}
		err = wiki.Internal(fmt.Errorf("panic: %v\n%s", v, debug.Stack()), what)
	}()
	return f()
}

// invalidText words a refused text for the editor: the wiki's reason when
// it gives one other than the front matter, else what is wrong and, when
// the service knows it, on which line (msgKey and lineKey are the
// catalogue's wordings without and with a line), then the service's own
// words as detail.
func invalidText(c *uiCtx, err error, msgKey, lineKey string) (msg, detail string) {
	msg = c.L.T(msgKey)
	var we *wiki.Error
	switch {
	case !errors.As(err, &we):
	case we.Reason != "" && we.Reason != wiki.ReasonFrontMatterInvalid && c.L.reason(err) != "":
		msg = c.L.reason(err)
	case we.Line > 0:
		msg = c.L.T(lineKey, we.Line)
	}
	return msg, c.L.T("edit.error.detail", wiki.ErrorMessage(err))
}
