package wiki

import "fmt"

// The bounds a renderer may refuse a page for, as LimitError.Limit values.
// Each interface words them for its users (the web UI in French).
const (
	LimitLines           = "lines"            // lines of the page
	LimitTableColumns    = "table_columns"    // columns of one table
	LimitTableCells      = "table_cells"      // cells of all the tables of a page
	LimitTablePipes      = "table_pipes"      // escaped pipes inside code in tables
	LimitFootnotes       = "footnotes"        // footnote definitions
	LimitFootnoteRefs    = "footnote_refs"    // footnote references
	LimitLinks           = "links"            // work the link syntax costs
	LimitLinkDefinitions = "link_definitions" // link reference definitions
	LimitInline          = "inline"           // emphasis marks, code spans, raw HTML
	LimitHeadings        = "headings"         // headings
	LimitContainers      = "containers"       // lists, list items and block quotes
	LimitHTML            = "html"             // bytes of HTML
)

// LimitError says which bound a page exceeded when rendering it. A renderer
// returns it as the cause (Err) of an ETooLarge *Error, so that callers can
// find it with errors.As and say precisely what is too big.
type LimitError struct {
	Limit string // one of the Limit… constants
	Count int    // how many the page has (at least)
	Max   int    // how many are allowed
	Line  int    // the line of the page where it was found; 0 when none
}

// Reason is the reason of the refusal: "limit_" and the bound's name, for
// example "limit_table_columns". The web interface words these through its
// own table of bounds, so they are not among Reasons.
func (e *LimitError) Reason() Reason { return Reason("limit_" + e.Limit) }

func (e *LimitError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: %d, at most %d (line %d)", e.Limit, e.Count, e.Max, e.Line)
	}
	return fmt.Sprintf("%s: %d, at most %d", e.Limit, e.Count, e.Max)
}
