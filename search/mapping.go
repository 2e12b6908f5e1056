package search

import (
	"time"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion is stored inside the index. An index written with another
// version (older analysis or fields) is rebuilt from the store at start.
const MappingVersion = "clubwiki-search-9"

// Field names of an indexed page.
const (
	fPath      = "path"
	fTitle     = "title"
	fTitleP    = "title_p"
	fText      = "text"
	fTextP     = "text_p"
	fHeadings  = "headings"
	fKeywords  = "kw" // front-matter values and path words, as text
	fNamespace = "namespace"
	fUpdated   = "updated"
	fAuthor    = "author"
	fMeta      = "meta"    // "key:value" of other scalar front-matter fields
	fLead      = "lead"    // start of the text, for snippets without a match
	fTitleKey  = "title_k" // wiki.TitleSortKey of the title, one term, that views sort by
)

// facetFields are the front-matter fields with facets. Filters and facet
// counts use their folded copy keyField(name), so that « Résolu », « resolu »
// and « résolu » count as one value, the one a filter on any of them finds;
// the index keeps a spelling to show for each (spellingKey).
var facetFields = []string{"type", "status", "projects", "tags"}

func keyField(name string) string { return "k_" + name }

// doc is what is indexed for one live page (its head revision only).
type doc struct {
	Path      string    `json:"path"`
	Title     string    `json:"title"`
	TitleP    string    `json:"title_p"`
	TitleKey  string    `json:"title_k"`
	Text      string    `json:"text"`
	TextP     string    `json:"text_p"`
	Lead      string    `json:"lead"`
	Headings  []string  `json:"headings"`
	Keywords  []string  `json:"kw"`
	Namespace string    `json:"namespace"`
	Updated   time.Time `json:"updated"`
	Author    []string  `json:"author"`
	Meta      []string  `json:"meta"`
	// The facet values as written: not indexed (filters and facets use
	// the folded K* copies), kept for their spellings.
	Type      []string `json:"-"`
	Status    []string `json:"-"`
	Projects  []string `json:"-"`
	Tags      []string `json:"-"`
	KType     []string `json:"k_type"`
	KStatus   []string `json:"k_status"`
	KProjects []string `json:"k_projects"`
	KTags     []string `json:"k_tags"`
}

// newMapping builds the index mapping in one place, from reusable field
// mappings, as bleve's beer-search example does.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	for name, cfg := range analyzerConfigs {
		if err := im.AddCustomAnalyzer(name, cfg); err != nil {
			return nil, err
		}
	}
	text := func(analyzer string, store, vectors bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer, f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = analyzer, store, vectors, false, false
		return f
	}
	raw := func(store bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer, f.Store, f.IncludeInAll, f.IncludeTermVectors = keyword.Name, store, false, false
		return f
	}
	folded := mapping.NewTextFieldMapping()
	folded.Analyzer, folded.Store, folded.IncludeInAll, folded.IncludeTermVectors, folded.DocValues = keyAnalyzer, false, false, false, false
	facetKey := *folded
	facetKey.DocValues = true // the facet table is loaded from doc values
	stored := mapping.NewTextFieldMapping()
	stored.Index, stored.Store, stored.IncludeInAll, stored.DocValues = false, true, false, false
	updated := mapping.NewDateTimeFieldMapping()
	updated.Store, updated.IncludeInAll = true, false

	dm := mapping.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fPath, raw(true))
	// Term vectors keep word positions, which phrase queries need.
	dm.AddFieldMappingsAt(fTitle, text(textAnalyzer, true, true))
	dm.AddFieldMappingsAt(fTitleP, text(prefixAnalyze, false, false))
	titleKey := raw(false)
	titleKey.DocValues = true // the doc map reads it to sort by title
	dm.AddFieldMappingsAt(fTitleKey, titleKey)
	dm.AddFieldMappingsAt(fText, text(textAnalyzer, true, true))
	dm.AddFieldMappingsAt(fTextP, text(prefixAnalyze, false, true))
	dm.AddFieldMappingsAt(fLead, stored)
	dm.AddFieldMappingsAt(fHeadings, text(textAnalyzer, false, true))
	dm.AddFieldMappingsAt(fKeywords, text(textAnalyzer, false, false))
	dm.AddFieldMappingsAt(fNamespace, raw(true))
	dm.AddFieldMappingsAt(fUpdated, updated)
	author := *folded
	author.DocValues = true // the facet table is loaded from doc values
	dm.AddFieldMappingsAt(fAuthor, &author)
	dm.AddFieldMappingsAt(fMeta, folded)
	for _, name := range facetFields {
		dm.AddFieldMappingsAt(keyField(name), &facetKey)
	}
	im.DefaultMapping = dm
	im.DefaultAnalyzer = textAnalyzer
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	return im, nil
}
