package web

import (
	"net/http"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// auditEntry is one admin action as the API and the admin's journal show
// it: what kind of action (Action), on what (Target), the raw summary and
// the new values (Detail).
type auditEntry struct {
	wiki.Change
	Action, Target, Detail string
}

// The actions of the audit log.
const (
	auditRules  = "rules"  // a namespace's rules; Target the key
	auditGroup  = "group"  // a group made or renamed; Target its name
	auditInvite = "invite" // an invitation; Target the login
	auditReset  = "reset"  // a reset link; Target the login
	auditToken  = "token"  // an API token made for someone; Target the login
	auditMember = "member" // a member's role, groups or state; Target the login
	auditJoin   = "join"   // an invitation accepted; Target the login
	// auditRevokeInvite is an invitation withdrawn; Target the login.
	auditRevokeInvite = "revoke-" + auditInvite
	// auditRevokeReset is a reset link withdrawn; Target the login.
	auditRevokeReset = "revoke-" + auditReset
)

// toAuditEntry names the action of an audited change.
func toAuditEntry(ch wiki.Change) auditEntry {
	e := auditEntry{Change: ch, Target: ch.Subject}
	switch ch.Kind {
	case wiki.KindPermission:
		e.Action, e.Target, _ = strings.Cut(ch.Subject, ":")
	case wiki.KindUserCreate:
		e.Action = auditJoin
	case wiki.KindUserUpdate:
		e.Action, e.Detail = auditMember, ch.Title
		if e.Author == ch.Subject && ch.Summary == "password" {
			e.Action = auditReset + "_used"
		}
	default:
		e.Action = string(ch.Kind)
	}
	return e
}

// auditPage reads ?before=SEQ&limit=N and the entries they select, for an
// admin.
func (s *core) auditPage(r *http.Request, u *wiki.User) ([]auditEntry, error) {
	q := r.URL.Query()
	before, err := querySeq(q, "before")
	if err != nil {
		return nil, err
	}
	limit, _, err := queryInt(q, "limit", 50)
	if err != nil {
		return nil, err
	}
	chs, err := s.svc.Audit(r.Context(), u, before, limit)
	if err != nil {
		return nil, err
	}
	out := make([]auditEntry, len(chs))
	for i, ch := range chs {
		out[i] = toAuditEntry(ch)
	}
	return out, nil
}
