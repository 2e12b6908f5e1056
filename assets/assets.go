// Package assets holds the files clubwiki embeds in its binary: the seed
// pages written on first start, the HTML templates, the stylesheet and
// script of the web interface, and its translation catalogues.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed seed
var seed embed.FS

//go:embed templates/*.html
var templates embed.FS

//go:embed static
var static embed.FS

//go:embed i18n/*.json
var i18n embed.FS

// Seed returns the seed pages as "<namespace>/<slug>.md" files.
func Seed() fs.FS { return sub(seed, "seed") }

// Templates returns the html/template files of the web interface: layout.html
// and one file per page, each defining "content".
func Templates() fs.FS { return sub(templates, "templates") }

// Static returns the files served under /static/ (app.css, app.js).
func Static() fs.FS { return sub(static, "static") }

// I18n returns the translation catalogues, one "<lang>.json" object of
// key → text per language.
func I18n() fs.FS { return sub(i18n, "i18n") }

func sub(f embed.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return s
}
