// Package web is the HTTP face of clubwiki: the JSON API under /api/ and the
// health check, served by a standard library ServeMux with method patterns.
//
// Every handler is a method on Server, which holds the wiki.Service and the
// few things HTTP needs (limits, logger, a cache of encoded page bodies).
// Every error goes through writeError, whose one table maps the wiki error
// codes to statuses, so that the API answers errors in one shape:
//
//	{"error": {"code": "not_found", "message": "…"}}
//
// Besides the routes CONTRACT.md lists, the API has POST /api/preview (body
// {"path","markdown"}, answer {"html","title","meta","headings","links"}),
// and answers about one page (delete, revert, history, diff, backlinks) also
// carry its canonical "path".
package web
