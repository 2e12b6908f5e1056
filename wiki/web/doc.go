// Package web is the HTTP face of clubwiki: the JSON API under /api/, the
// HTML interface (templates and catalogues from assets) and the health
// check, served by a standard library ServeMux with method patterns.
//
// The package is in three parts, told apart by file name, each with its
// own type:
//
//   - the core (server.go, middleware.go, errors.go, auth.go, request.go,
//     json.go, bodybudget.go, cache.go), type core: the wiki.Service, the
//     limits, the router and its middleware, the body budget, error
//     classification, authentication by token or session cookie with the
//     cross-origin guard, and request helpers. Server wires the core to
//     the two others and is the only thing exported with New and Options.
//   - the JSON API (api.go, api_*.go), type api: its handlers, its
//     reading and writing of JSON bodies. Page answers are encoded per
//     request from the service's rendered page, held once in the cache
//     budget.
//   - the HTML interface (ui.go, ui_*.go), type ui: its handlers, the
//     templates, catalogues, static files, login limiter, notices and the
//     cache of executed page articles around their content.
//
// api and ui each hold a pointer to the core and use nothing of each
// other: a handler of either is named for what it answers ((*api).page,
// (*ui).page), not for its part. TestPackage_Boundaries checks this on
// the source.
//
// Every error goes through classify, whose one table maps the wiki error
// codes to statuses. writeError answers in the one JSON shape, for the API
// and for a panic anywhere:
//
//	{"error": {"code": "not_found", "message": "…", "reason": "…"}}
//
// and (*ui).errorPage answers the interface's with a page in the reader's
// language, worded by the error's reason when it has one.
//
// Besides the routes CONTRACT.md lists, the API has POST /api/preview (body
// {"path","markdown"}, answer {"html","title","meta","headings","links"}),
// GET /api/suggest and GET /api/backup (see the README), and answers about
// one page (delete, revert, history, diff, backlinks) also carry its
// canonical "path". The interface's script asks the interface, with the
// session, for an HTML fragment (POST /preview) and for the path a new
// page's title will get (GET /canonical, a small JSON object worded in
// the reader's language).
package web
