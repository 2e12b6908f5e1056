package textdiff

import (
	"context"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Merge3 merges two texts derived from base (see Merge). When edits
// conflict, ok is false and merged holds every conflicting region between
// the lines "<<<<<<< yours", "=======" and ">>>>>>> revision N" (N is
// theirsRev), with the rest merged around them.
func (d Differ) Merge3(ctx context.Context, base, mine, theirs string, theirsRev int) (merged string, ok bool, err error) {
	m, err := d.Merge(ctx, base, mine, theirs)
	if err != nil {
		return "", false, err
	}
	return m.Markdown(theirsRev), len(m.Conflicts()) == 0, nil
}

// Merge merges two texts derived from base, by lines first as diff3 does,
// then by words inside the passages both sides changed (wordmerge.go): two
// members changing different sentences of one paragraph (a Markdown
// paragraph is one line), different cells of one table row or different
// items of a list both keep their change. Changes to different places are
// both kept; the same change made on both sides is kept once. Only changes
// to the same or touching words conflict: each such passage is a region
// holding base's lines, and the member's and the other's versions of them
// with every change that does not conflict already merged in.
//
// The diffs are bounded in time and in tokens: past the bounds a passage
// is merged by lines only, so a coarser diff may turn into a conflict what
// an exact one would merge, but every region still comes out of base, mine
// or theirs whole. It returns ctx's error when ctx ends first.
func (d Differ) Merge(ctx context.Context, base, mine, theirs string) (m wiki.Merge, err error) {
	defer recoverInternal(&err)
	bud := d.newBudget(ctx) // one bound for every diff of the merge
	tb, tm, tt := split(base), split(mine), split(theirs)
	cm, err := diff(bud, tb, tm)
	if err != nil {
		return wiki.Merge{}, err
	}
	ct, err := diff(bud, tb, tt)
	if err != nil {
		return wiki.Merge{}, err
	}
	wm := &wordMerger{bud: bud, left: MaxMergeTokens}
	var agreed strings.Builder // the text since the last conflict
	merge3(tb, tm, tt, cm, ct, func(s string) { agreed.WriteString(s) }, func(b, y, t string) {
		if merged, yours, theirs, clean := wm.merge(b, y, t); clean {
			agreed.WriteString(merged)
		} else {
			m.Parts = appendAgreed(m.Parts, &agreed)
			m.Parts = append(m.Parts, wiki.MergePart{Conflict: &wiki.ConflictRegion{Base: b, Yours: yours, Theirs: theirs}})
		}
	})
	if bud.err != nil {
		return wiki.Merge{}, bud.err
	}
	return wiki.Merge{Parts: appendAgreed(m.Parts, &agreed)}, nil
}

// merge3 walks the changed regions cm (base to mine) and ct (base to
// theirs) of base's units (lines or tokens) in order. It calls keep with
// the text both sides agree on: what neither changed, what one side alone
// changed, and what both changed alike. It calls clash with each passage
// both changed differently: base's text of it and each side's. Regions of
// the two sides that overlap or touch make one passage: edits that close
// together are not safe to merge blindly.
func merge3(tb, tm, tt text, cm, ct []Region, keep func(string), clash func(base, mine, theirs string)) {
	pos, i, j := 0, 0, 0
	for i < len(cm) || j < len(ct) {
		// Start a group with the region that begins first, then absorb
		// every region of either side that overlaps or touches the group.
		lo := nextLo(cm, i, ct, j)
		hi := lo
		gi, gj := i, j
		for grew := true; grew; {
			grew = false
			for gi < len(cm) && touches(cm[gi], lo, hi) {
				hi = max(hi, cm[gi].A1)
				gi, grew = gi+1, true
			}
			for gj < len(ct) && touches(ct[gj], lo, hi) {
				hi = max(hi, ct[gj].A1)
				gj, grew = gj+1, true
			}
		}
		keep(tb.span(pos, lo))
		mineText := apply(tb, tm, cm[i:gi], lo, hi)
		theirText := apply(tb, tt, ct[j:gj], lo, hi)
		switch {
		case gi == i: // only theirs changed here
			keep(theirText)
		case gj == j, mineText == theirText:
			keep(mineText)
		default:
			clash(tb.span(lo, hi), mineText, theirText)
		}
		pos, i, j = hi, gi, gj
	}
	keep(tb.span(pos, tb.n()))
}

// appendAgreed appends the agreed text gathered in b, if any, as one part
// and empties b.
func appendAgreed(parts []wiki.MergePart, b *strings.Builder) []wiki.MergePart {
	if b.Len() > 0 {
		parts = append(parts, wiki.MergePart{Text: b.String()})
		b.Reset()
	}
	return parts
}

func nextLo(cm []Region, i int, ct []Region, j int) int {
	switch {
	case i >= len(cm):
		return ct[j].A0
	case j >= len(ct):
		return cm[i].A0
	}
	return min(cm[i].A0, ct[j].A0)
}

// touches reports whether r overlaps or is adjacent to the base range
// [lo, hi]: edits that close together are not safe to merge blindly.
func touches(r Region, lo, hi int) bool { return r.A0 <= hi && r.A1 >= lo }

// apply returns base units [lo, hi) with the regions rs of derived (all
// inside that range) applied.
func apply(base, derived text, rs []Region, lo, hi int) string {
	var sb strings.Builder
	pos := lo
	for _, r := range rs {
		sb.WriteString(base.span(pos, r.A0))
		sb.WriteString(derived.span(r.B0, r.B1))
		pos = r.A1
	}
	sb.WriteString(base.span(pos, hi))
	return sb.String()
}
