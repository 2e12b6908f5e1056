package render

import (
	"slices"

	"github.com/kdecole-club/clubwiki/wiki"
)

// linkRefs returns where the wiki links are in the page's text, whose body
// (what goldmark parsed) starts at offset, in the order of the text. The
// tree's order is not always the text's: goldmark moves footnote
// definitions to the end of the page.
func linkRefs(links []*wikiLink, offset int) []wiki.LinkRef {
	refs := make([]wiki.LinkRef, 0, len(links))
	for _, n := range links {
		if n.start < 0 {
			continue
		}
		start := offset + n.start
		refs = append(refs, wiki.LinkRef{
			Start:       start,
			End:         start + len(n.raw),
			TargetStart: start + n.targetAt,
			TargetEnd:   start + n.targetAt + len(n.target),
			Path:        n.path,
			ByTitle:     n.byTitle,
		})
	}
	slices.SortFunc(refs, func(a, b wiki.LinkRef) int { return a.Start - b.Start })
	return refs
}
