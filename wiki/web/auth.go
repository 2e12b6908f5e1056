package web

import (
	"net/http"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// authenticate returns the user making the request. It tries the bearer
// token, then (with the HTML interface) the session cookie. An invalid token
// is refused even when a cookie would do: a script with a revoked token must
// learn it.
func (s *Server) authenticate(r *http.Request) (*wiki.User, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return s.bearer(r, h)
	}
	return nil, wiki.Errorf(wiki.EUnauthenticated, "authentication required: send an Authorization: Bearer header with an API token")
}

// bearer checks an Authorization header value.
func (s *Server) bearer(r *http.Request, header string) (*wiki.User, error) {
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
