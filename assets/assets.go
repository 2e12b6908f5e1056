// Package assets holds the files clubwiki embeds in its binary: the seed
// pages written on first start and, later, templates, styles, scripts and
// translations.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed seed
var seed embed.FS

// Seed returns the seed pages as "<namespace>/<slug>.md" files.
func Seed() fs.FS {
	sub, err := fs.Sub(seed, "seed")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}
