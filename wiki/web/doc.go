// Package web is the HTTP face of clubwiki: the JSON API under /api/, the
// HTML interface (files ui*.go, templates and catalogues from assets) and
// the health check, served by a standard library ServeMux with method
// patterns.
//
// Every handler is a method on Server, which holds the wiki.Service and the
// few things HTTP needs (limits, logger, caches of encoded page bodies).
// Every error goes through classify, whose one table maps the wiki error
// codes to statuses; writeError answers API errors in one shape:
//
//	{"error": {"code": "not_found", "message": "…"}}
//
// and uiError answers the interface's with a page in the reader's language.
//
// Besides the routes CONTRACT.md lists, the API has POST /api/preview (body
// {"path","markdown"}, answer {"html","title","meta","headings","links"}),
// GET /api/suggest and GET /api/backup (see the README), and answers about
// one page (delete, revert, history, diff, backlinks) also carry its
// canonical "path".
package web
