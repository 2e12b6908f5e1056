package web

import "net/http"

// siteURL is the wiki's address as the request reached it, without a
// trailing slash: what links handed over (invitations, resets, feed keys)
// start with.
func (s *core) siteURL(r *http.Request) string {
	scheme := "http"
	if s.secureRequest(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
