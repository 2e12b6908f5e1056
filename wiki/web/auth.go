package web

import (
	"net/http"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// sessionCookie is the name of the web session cookie.
const sessionCookie = "clubwiki_session"

// authenticate returns the user making an API request. It tries the bearer
// token, then the session cookie. An invalid token is refused even when a
// cookie would do: a script with a revoked token must learn it. A
// state-changing call authenticated by the cookie must come from this site:
// a browser sends the cookie with cross-origin requests too.
func (s *core) authenticate(r *http.Request) (*wiki.User, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return s.bearer(r, h)
	}
	if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.cop.Check(r); err != nil {
			return nil, wiki.Errorf(wiki.EForbidden, "cross-origin request refused: send an API token instead of the session cookie")
		}
		u, _, err := s.svc.SessionUser(r.Context(), ck.Value)
		if err != nil {
			return nil, err
		}
		return &u, nil
	}
	return nil, wiki.Errorf(wiki.EUnauthenticated, "authentication required: send an Authorization: Bearer header with an API token")
}

// bearer checks an Authorization header value.
func (s *core) bearer(r *http.Request, header string) (*wiki.User, error) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, wiki.Errorf(wiki.EUnauthenticated, "unsupported Authorization scheme: use Bearer with an API token")
	}
	u, err := s.svc.AuthenticateToken(r.Context(), strings.TrimSpace(token))
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// sessionUser returns the user of the request's session cookie and the
// session secret; EUnauthenticated without a valid session.
func (s *core) sessionUser(r *http.Request) (*wiki.User, string, error) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil, "", wiki.Errorf(wiki.EUnauthenticated, "not signed in")
	}
	u, _, err := s.svc.SessionUser(r.Context(), ck.Value)
	if err != nil {
		return nil, "", err
	}
	return &u, ck.Value, nil
}

// secureRequest reports whether the browser reached the wiki over HTTPS,
// directly or through a proxy that says so; cookies are then Secure.
func (s *core) secureRequest(r *http.Request) bool {
	if s.secureCookies || r.TLS != nil {
		return true
	}
	return s.behindProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// setCookie sets a cookie with the wiki's attributes: HttpOnly, Lax, Secure
// over HTTPS, for the whole site.
func (s *core) setCookie(w http.ResponseWriter, r *http.Request, ck *http.Cookie) {
	ck.Path = "/"
	ck.HttpOnly = true
	ck.SameSite = http.SameSiteLaxMode
	ck.Secure = s.secureRequest(r)
	http.SetCookie(w, ck)
}
