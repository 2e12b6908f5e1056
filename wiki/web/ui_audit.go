package web

import (
	"cmp"
	"net/http"
	"strconv"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// auditView is the admins' journal: who did what, when.
type auditView struct {
	base
	Entries []auditRow
	Older   string // the link to older entries, "" at the start
}

type auditRow struct {
	Time           time.Time
	Author, Name   string // login and display name ("" when none)
	What, Detail   string
	Action, Target string
}

// auditWords are the catalogue keys of the actions, each taking the
// action's target.
var auditWords = map[string]string{
	auditRules: "audit.rules", auditGroup: "audit.group", auditInvite: "audit.invite", auditReset: "audit.reset",
	auditReset + "_used": "audit.reset_used", auditToken: "audit.token", auditMember: "audit.member", auditJoin: "audit.join",
	auditRevokeInvite: "audit.revoke_invite", auditRevokeReset: "audit.revoke_reset",
}

// auditLimit is how many entries a page of the journal shows.
const auditLimit = 100

// journal answers GET /admin/journal?before=SEQ.
func (s *ui) journal(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	q := r.URL.Query()
	q.Set("limit", strconv.Itoa(auditLimit))
	r.URL.RawQuery = q.Encode()
	entries, err := s.auditPage(r, c.User)
	if err != nil {
		return err
	}
	logins := make([]string, 0, len(entries))
	for _, e := range entries {
		logins = append(logins, e.Author)
	}
	names, err := s.svc.DisplayNames(r.Context(), c.User, logins)
	if err != nil {
		return err
	}
	v := auditView{base: c.base(c.L.T("audit.title"))}
	for _, e := range entries {
		row := auditRow{Time: e.Time, Author: e.Author, Name: names[e.Author], Action: e.Action, Target: e.Target,
			What: c.L.T(cmp.Or(auditWords[e.Action], e.Action), e.Target), Detail: e.Summary}
		if e.Detail != "" {
			row.Detail = e.Detail
		}
		if e.Author == wiki.SystemAuthor {
			row.Name = c.L.T("audit.system")
		}
		v.Entries = append(v.Entries, row)
	}
	if len(entries) == auditLimit {
		v.Older = "/admin/journal?before=" + strconv.FormatUint(entries[len(entries)-1].Seq, 10)
	}
	s.render(w, r, http.StatusOK, "audit", v)
	return nil
}
