package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Limits of "forgotten password" asks: per address of the asker, and per
// login or e-mail asked about, five a quarter of an hour after a first
// burst; the service mails one member once a quarter of an hour at most.
var (
	forgotPerClient = WriteLimit{Rate: 5.0 / 900, Burst: 5}
	forgotPerTarget = WriteLimit{Rate: 5.0 / 900, Burst: 5}
)

// newForgotLimiter is the limiter of the asks (clients as "members",
// what they ask about as "tokens").
func newForgotLimiter(now func() time.Time) *writeLimiter {
	return newWriteLimiter(now, forgotPerClient, forgotPerTarget)
}

// forgotView is the "forgotten password" page.
type forgotView struct {
	base
	MailOn  bool
	Sent    bool
	Message string
	Who     string
}

// forgotForm answers GET /forgot.
func (s *ui) forgotForm(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	v := forgotView{base: c.base(c.L.T("forgot.title")), MailOn: s.svc.MailEnabledForTickets()}
	s.render(w, r, http.StatusOK, "forgot", v)
	return nil
}

// forgot answers POST /forgot (field who: a login or an e-mail). The page
// that follows is the same whether a member was found or not.
func (s *ui) forgot(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := parseFormMax(w, r, maxSmallForm); err != nil {
		return err
	}
	v := forgotView{base: c.base(c.L.T("forgot.title")), MailOn: s.svc.MailEnabledForTickets()}
	if !v.MailOn {
		s.render(w, r, http.StatusOK, "forgot", v)
		return nil
	}
	who := strings.ToLower(strings.TrimSpace(r.PostFormValue("who")))
	if wait := s.forgotten.charge(s.clientIP(r), who); wait > 0 {
		secs := retryAfterSeconds(w, wait)
		v.Message, v.Who = c.L.T("forgot.throttled", waitText(secs)), who
		s.render(w, r, http.StatusTooManyRequests, "forgot", v)
		return nil
	}
	if err := s.svc.ForgotPassword(r.Context(), who); err != nil {
		if wiki.ErrorCode(err) != wiki.EInvalid {
			return err
		}
		v.Message, v.Who = c.L.T("forgot.who_needed"), who
		s.render(w, r, http.StatusBadRequest, "forgot", v)
		return nil
	}
	v.Sent = true
	s.render(w, r, http.StatusOK, "forgot", v)
	return nil
}
