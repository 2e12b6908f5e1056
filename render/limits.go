package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/yuin/goldmark/parser"
)

// The bounds of one page's rendering. goldmark cannot be interrupted and
// some of its constructs cost far more than their size (a table is padded
// to its header's width; a link destination is looked for to the end of the
// line), so a page that would go past one of these is refused with a
// message naming it, before the work is done. No real page comes near them.
const (
	// maxLines: goldmark spends a few hundred bytes on every line and
	// every block, so 2 MiB of "a\n\n" took 2 s and 415 MB; pages of
	// real text have lines of 35 bytes on average (60,000 in 2 MiB).
	maxLines = 150_000
	// maxTableColumns: wider tables cannot be read on any screen.
	maxTableColumns = 128
	// maxTableCells counts the cells of all tables of a page, padding
	// included: rows shorter than the header are padded to its width.
	maxTableCells = 100_000
	// maxTablePipeWork bounds escaped pipes inside code in table rows
	// times the bytes of those rows: goldmark matches each such cell
	// against every other.
	maxTablePipeWork = 1 << 24
	// maxFootnotes and maxFootnoteRefs: each reference is looked up among
	// the definitions, and writes a link and a back link.
	maxFootnotes    = 1000
	maxFootnoteRefs = 5000
	// maxLinkScan is how many bytes goldmark's link parser may read in all
	// looking for destinations, titles and labels: an ordinary page costs
	// about its own size.
	maxLinkScan = 64 << 20
	// maxLinkDefinitions bounds link reference definitions ("[a]: /u"),
	// each a node and an entry in a map.
	maxLinkDefinitions = 10_000
	// bracketCost is what an open bracket costs against maxLinkScan: a
	// node of a few hundred bytes ("[" repeated over 2 MiB took 1.1 GB).
	bracketCost = 1 << 10
	// maxInlines bounds code spans, autolinks, raw HTML and runs of
	// emphasis marks: 2 MiB of prose holds a few thousand.
	maxInlines = 200_000
	// maxHeadings bounds headings, each an id and a contents entry.
	maxHeadings = 10_000
	// maxContainers bounds lists, list items and block quotes. Nesting is
	// capped (maxContainerDepth) but their number was not: 1.2 MB of
	// lists 31 deep made 1.2 million nodes, 179 MB of heap and 2 s for
	// one page. A long real page has a few thousand.
	maxContainers = 100_000
	// maxHTMLBytes bounds the HTML of a page: 2 MiB of prose makes less
	// than 3 MiB.
	maxHTMLBytes = 8 << 20
	// ctxEvery is how many parser callbacks go by between two looks at
	// the context.
	ctxEvery = 256
)

// Limits are the bounds of one page's rendering (Options.Limits). A zero
// field, or one above the default, is the default bound of limits.go: the
// option only lowers them. Tests of the bounds do, so that pages past them
// by the same factor as the hostile pages of issue 7 are a fraction of
// their size. Production uses the defaults.
type Limits struct {
	Lines           int // default maxLines
	TableColumns    int // default maxTableColumns
	TableCells      int // default maxTableCells
	TablePipeWork   int // default maxTablePipeWork
	Footnotes       int // default maxFootnotes
	FootnoteRefs    int // default maxFootnoteRefs
	LinkScan        int // default maxLinkScan
	LinkDefinitions int // default maxLinkDefinitions
	Inlines         int // default maxInlines
	Headings        int // default maxHeadings
	Containers      int // default maxContainers
	HTMLBytes       int // default maxHTMLBytes
}

// withDefaults returns l with each bound that is not set, or not below
// its default, set to the default.
func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 || *v > d {
			*v = d
		}
	}
	def(&l.Lines, maxLines)
	def(&l.TableColumns, maxTableColumns)
	def(&l.TableCells, maxTableCells)
	def(&l.TablePipeWork, maxTablePipeWork)
	def(&l.Footnotes, maxFootnotes)
	def(&l.FootnoteRefs, maxFootnoteRefs)
	def(&l.LinkScan, maxLinkScan)
	def(&l.LinkDefinitions, maxLinkDefinitions)
	def(&l.Inlines, maxInlines)
	def(&l.Headings, maxHeadings)
	def(&l.Containers, maxContainers)
	def(&l.HTMLBytes, maxHTMLBytes)
	return l
}

// defaultLimits are the bounds of a Renderer whose Options set none.
var defaultLimits = Limits{}.withDefaults()

// DefaultLimits returns the default bounds, every one set.
func DefaultLimits() Limits { return defaultLimits }

// limitsKey holds a page's *limits in goldmark's parser context.
var limitsKey = parser.NewContextKey()

// limits is what one rendering has spent against the bounds, and the first
// bound it went past (or the context's error).
type limits struct {
	ctx         context.Context
	max         *Limits // the bounds, every one set
	src         []byte  // the Markdown body, to turn offsets into line numbers
	err         error
	calls       int
	cells       int
	pipes       int // escaped pipes in code in table rows
	pipeRows    int // bytes of those rows
	definitions int
	scanned     int
	counts      [nCounted]int // what countedBlock and countedInline count
}

// counted is one of the bounds on how many nodes of a kind a page makes,
// kept by countedBlock and countedInline.
type counted int

const (
	countFootnotes counted = iota
	countFootnoteRefs
	countInlines
	countHeadings
	countContainers
	nCounted
)

// countedBound returns the bound and maximum of c.
func (l *limits) countedBound(c counted) (limit string, max int) {
	switch c {
	case countFootnotes:
		return wiki.LimitFootnotes, l.max.Footnotes
	case countFootnoteRefs:
		return wiki.LimitFootnoteRefs, l.max.FootnoteRefs
	case countInlines:
		return wiki.LimitInline, l.max.Inlines
	case countHeadings:
		return wiki.LimitHeadings, l.max.Headings
	}
	return wiki.LimitContainers, l.max.Containers
}

// add counts one more node of kind c, found at offset, and records the
// refusal when that goes past c's bound.
func (l *limits) add(c counted, offset int) {
	limit, max := l.countedBound(c)
	if l.counts[c]++; l.counts[c] > max {
		l.exceed(limit, l.counts[c], max, offset)
	}
}

// newLimits starts the limits of one rendering against the bounds max,
// every one set.
func newLimits(ctx context.Context, src []byte, max *Limits) *limits {
	return &limits{ctx: ctx, src: src, max: max}
}

// limitsOf returns the limits of the page being parsed with pc.
func limitsOf(pc parser.Context) *limits {
	l, _ := pc.Get(limitsKey).(*limits)
	if l == nil {
		// A parse not started by Render (which sets them): count against
		// throwaway limits rather than crash.
		l = newLimits(context.Background(), nil, &defaultLimits)
		pc.Set(limitsKey, l)
	}
	return l
}

// stopped reports whether the rendering is already refused or cancelled;
// parser hooks then take the cheapest way out. It looks at the context
// every ctxEvery calls.
func (l *limits) stopped() bool {
	if l.err != nil {
		return true
	}
	if l.calls++; l.calls%ctxEvery == 0 {
		if err := l.ctx.Err(); err != nil {
			l.err = err
		}
	}
	return l.err != nil
}

// exceed records that the page went past limit (the first such wins) and
// returns false, so callers can write "if !l.exceed(…) { return }".
func (l *limits) exceed(limit string, count, max, offset int) bool {
	if l.err == nil {
		le := &wiki.LimitError{Limit: limit, Count: count, Max: max}
		if offset >= 0 && offset <= len(l.src) {
			le.Line = 1 + bytes.Count(l.src[:offset], []byte{'\n'})
		}
		l.err = le
	}
	return false
}

// refusal turns what stopped a rendering into the error Render returns: an
// ETooLarge *wiki.Error for a bound, whose message names it, or the
// context's error.
func refusal(err error, lineOffset int) error {
	var le *wiki.LimitError
	if !errors.As(err, &le) {
		return err
	}
	if le.Line > 0 {
		le.Line += lineOffset
	}
	return &wiki.Error{Code: wiki.ETooLarge, Message: limitMessage(le), Err: le,
		Reason: le.Reason(), Args: []any{le.Count, le.Max}}
}

func limitMessage(le *wiki.LimitError) string {
	at := ""
	if le.Line > 0 {
		at = fmt.Sprintf(" (line %d)", le.Line)
	}
	switch le.Limit {
	case wiki.LimitLines:
		return fmt.Sprintf("the page has %d lines; at most %d are allowed", le.Count, le.Max)
	case wiki.LimitTableColumns:
		return fmt.Sprintf("the table%s has %d columns; at most %d are allowed", at, le.Count, le.Max)
	case wiki.LimitTableCells:
		return fmt.Sprintf("the tables of the page have more than %d cells%s (rows are padded to the header's width); split them", le.Max, at)
	case wiki.LimitTablePipes:
		return fmt.Sprintf("the tables of the page hold too many escaped pipes (\\|) inside code%s", at)
	case wiki.LimitFootnotes:
		return fmt.Sprintf("the page has more than %d footnotes%s", le.Max, at)
	case wiki.LimitFootnoteRefs:
		return fmt.Sprintf("the page has more than %d footnote references%s", le.Max, at)
	case wiki.LimitLinkDefinitions:
		return fmt.Sprintf("the page has more than %d link reference definitions ([label]: url)%s", le.Max, at)
	case wiki.LimitLinks:
		return fmt.Sprintf("the page's link syntax is too costly to render%s: brackets and parentheses that open links without closing them", at)
	case wiki.LimitInline:
		return fmt.Sprintf("the page has more than %d inline elements (emphasis marks, code, raw HTML)%s", le.Max, at)
	case wiki.LimitHeadings:
		return fmt.Sprintf("the page has more than %d headings%s", le.Max, at)
	case wiki.LimitContainers:
		return fmt.Sprintf("the page has more than %d lists, list items and block quotes%s", le.Max, at)
	case wiki.LimitHTML:
		return fmt.Sprintf("the page would make more than %d MiB of HTML", le.Max>>20)
	}
	return "the page is too costly to render"
}

// htmlWriter collects goldmark's output up to the HTML bound and stops (the
// write fails, and goldmark's buffered writer keeps failing cheaply) past
// that or when the context ends.
type htmlWriter struct {
	buf bytes.Buffer
	lim *limits
}

var errStop = errors.New("rendering stopped")

func (w *htmlWriter) Write(p []byte) (int, error) {
	if w.lim.err != nil {
		return 0, errStop
	}
	if err := w.lim.ctx.Err(); err != nil {
		w.lim.err = err
		return 0, err
	}
	if w.buf.Len()+len(p) > w.lim.max.HTMLBytes {
		w.lim.exceed(wiki.LimitHTML, w.buf.Len()+len(p), w.lim.max.HTMLBytes, -1)
		return 0, errStop
	}
	return w.buf.Write(p)
}
