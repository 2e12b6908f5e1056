package web

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// wordBlock is one block of the word views.
type wordBlock struct {
	Kind   string // "same", "changed", "moved-from" or "moved-to"
	ID     string // the block's anchor
	Other  string // a moved paragraph's other place
	Lines  int    // lines of an unchanged block, folded
	Coarse bool   // compared line by line
	Text   string // an unchanged block's text
	Segs   []segView
	Old    []segView // side by side: the old text's segments
	New    []segView // and the new text's
}

// segView is one run of text of a word view; Class is "del", "ins" or "".
type segView struct {
	Class string
	Text  string
}

// blockID is the anchor of block i of a word diff.
func blockID(i int) string { return "diff-b" + strconv.Itoa(i) }

// newWordBlocks lays out the blocks of a word diff.
func newWordBlocks(wd wiki.WordDiff) []wordBlock {
	out := make([]wordBlock, 0, len(wd.Blocks))
	for i, b := range wd.Blocks {
		v := wordBlock{ID: blockID(i), Coarse: b.Coarse}
		segs := b.Segments
		switch b.Kind {
		case wiki.BlockSame:
			v.Kind, v.Lines = "same", max(b.FromCount, b.ToCount)
			for _, s := range segs {
				v.Text += s.Text
			}
			if strings.TrimSpace(v.Text) == "" {
				continue // blank lines between changes: nothing to unfold
			}
			out = append(out, v)
			continue
		case wiki.BlockMovedFrom:
			v.Kind, v.Other = "moved-from", blockID(b.Move)
			segs = plainSegs(segs)
		case wiki.BlockMovedTo:
			v.Kind, v.Other = "moved-to", blockID(b.Move)
			segs = plainSegs(segs)
			if b.Edits != nil {
				segs = b.Edits
			}
		default:
			v.Kind = "changed"
		}
		v.Segs, v.Old, v.New = segViews(segs)
		out = append(out, v)
	}
	return out
}

// plainSegs shows a moved paragraph's text unmarked: it moved, it was not
// deleted or written anew.
func plainSegs(segs []wiki.Segment) []wiki.Segment {
	var sb strings.Builder
	for _, s := range segs {
		sb.WriteString(s.Text)
	}
	return []wiki.Segment{{Op: wiki.SegEqual, Text: sb.String()}}
}

// segViews returns the segments inline, and those of each side.
func segViews(segs []wiki.Segment) (all, old, neu []segView) {
	for _, s := range segs {
		switch s.Op {
		case wiki.SegDelete:
			all = append(all, segView{"del", s.Text})
			old = append(old, segView{"del", s.Text})
		case wiki.SegInsert:
			all = append(all, segView{"ins", s.Text})
			neu = append(neu, segView{"ins", s.Text})
		default:
			all = append(all, segView{"", s.Text})
			old = append(old, segView{"", s.Text})
			neu = append(neu, segView{"", s.Text})
		}
	}
	return all, old, neu
}

// renderedRun is a run of blocks of the rendered view: unchanged blocks
// away from any change are folded together.
type renderedRun struct {
	Folded bool
	Blocks []renderedBlock
}

// renderedBlock is one rendered block.
type renderedBlock struct {
	Class  string // "same", "marked", "del", "ins", "moved-from" or "moved-to"
	ID     string
	Other  string
	Source bool // shown as Markdown source
	HTML   template.HTML
}

// newRenderedRuns lays out the rendered blocks, folding runs of unchanged
// ones but for the block before and after a change. Moved paragraphs
// point at each other with the anchors of the word views' blocks: the
// n-th moved block of each kind is the n-th of the word diff.
func newRenderedRuns(blocks []wiki.RenderedDiffBlock, wd wiki.WordDiff) []renderedRun {
	moves := map[wiki.BlockKind][]int{}
	for i, b := range wd.Blocks {
		if b.Kind == wiki.BlockMovedFrom || b.Kind == wiki.BlockMovedTo {
			moves[b.Kind] = append(moves[b.Kind], i)
		}
	}
	views := make([]renderedBlock, len(blocks))
	changed := make([]bool, len(blocks))
	for i, b := range blocks {
		v := renderedBlock{Class: "same", Source: b.Source, HTML: htmlOf(b)}
		switch {
		case b.Kind == wiki.BlockMovedFrom || b.Kind == wiki.BlockMovedTo:
			v.Class = map[wiki.BlockKind]string{wiki.BlockMovedFrom: "moved-from", wiki.BlockMovedTo: "moved-to"}[b.Kind]
			if k := moves[b.Kind]; len(k) > 0 {
				v.ID, v.Other = "r-"+blockID(k[0]), "r-"+blockID(wd.Blocks[k[0]].Move)
				moves[b.Kind] = k[1:]
			}
		case b.Op == wiki.SegDelete:
			v.Class = "del"
		case b.Op == wiki.SegInsert:
			v.Class = "ins"
		case b.Marked:
			v.Class = "marked"
		}
		views[i], changed[i] = v, v.Class != "same"
	}
	return foldRuns(views, changed)
}

// foldRuns cuts views into runs, folding the unchanged blocks that are
// not next to a change.
func foldRuns(views []renderedBlock, changed []bool) []renderedRun {
	near := func(i int) bool {
		return changed[i] || i > 0 && changed[i-1] || i+1 < len(changed) && changed[i+1]
	}
	var out []renderedRun
	for i, v := range views {
		folded := !near(i)
		if n := len(out); n > 0 && out[n-1].Folded == folded {
			out[n-1].Blocks = append(out[n-1].Blocks, v)
			continue
		}
		out = append(out, renderedRun{Folded: folded, Blocks: []renderedBlock{v}})
	}
	return out
}
