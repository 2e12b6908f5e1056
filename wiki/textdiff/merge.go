package textdiff

import (
	"context"
	"strconv"
	"strings"
)

// chunk is one changed region of a derived text, in base coordinates: base
// lines [lo, hi) are replaced by repl. lo == hi is a pure insertion.
type chunk struct {
	lo, hi int
	repl   []string
}

// chunks turns the edit script from base to a derived text into changed
// regions.
func chunks(script []Line) []chunk {
	var out []chunk
	i := 0 // index in base
	for k := 0; k < len(script); {
		if script[k].Op == Equal {
			i++
			k++
			continue
		}
		c := chunk{lo: i, hi: i}
		for k < len(script) && script[k].Op != Equal {
			if script[k].Op == Delete {
				c.hi++
				i++
			} else {
				c.repl = append(c.repl, script[k].Text)
			}
			k++
		}
		out = append(out, c)
	}
	return out
}

// Merge3 merges two texts derived from base, line by line, as diff3 does.
// Changes to different regions are both kept; the same change made on both
// sides is kept once. Changes to the same or adjacent lines conflict: then
// ok is false and merged holds every conflicting region between the lines
// "<<<<<<< yours", "=======" and ">>>>>>> revision N" (N is theirsRev), with
// the rest merged around them.
//
// The diffs are bounded in time: a coarser diff may turn into a conflict
// what an exact one would merge, but every region still comes out of base,
// mine or theirs whole. It returns ctx's error when ctx ends first.
func (d Differ) Merge3(ctx context.Context, base, mine, theirs string, theirsRev int) (merged string, ok bool, err error) {
	defer recoverInternal(&err)
	bud := d.newBudget(ctx) // one bound for both diffs
	sm, err := lines(bud, base, mine)
	if err != nil {
		return "", false, err
	}
	st, err := lines(bud, base, theirs)
	if err != nil {
		return "", false, err
	}
	baseLines := splitLinesKeep(base)
	cm, ct := chunks(sm), chunks(st)
	var sb strings.Builder
	ok = true
	pos, i, j := 0, 0, 0
	for i < len(cm) || j < len(ct) {
		// Start a group with the chunk that begins first, then absorb every
		// chunk of either side that overlaps or touches the group.
		lo := nextLo(cm, i, ct, j)
		hi := lo
		gi, gj := i, j
		for grew := true; grew; {
			grew = false
			for gi < len(cm) && touches(cm[gi], lo, hi) {
				hi = max(hi, cm[gi].hi)
				gi, grew = gi+1, true
			}
			for gj < len(ct) && touches(ct[gj], lo, hi) {
				hi = max(hi, ct[gj].hi)
				gj, grew = gj+1, true
			}
		}
		writeAll(&sb, baseLines[pos:lo])
		mineText := apply(baseLines, cm[i:gi], lo, hi)
		theirText := apply(baseLines, ct[j:gj], lo, hi)
		switch {
		case gi == i: // only theirs changed here
			sb.WriteString(theirText)
		case gj == j, mineText == theirText:
			sb.WriteString(mineText)
		default:
			ok = false
			sb.WriteString("<<<<<<< yours\n" + withNL(mineText) + "=======\n" + withNL(theirText) +
				">>>>>>> revision " + strconv.Itoa(theirsRev) + "\n")
		}
		pos, i, j = hi, gi, gj
	}
	writeAll(&sb, baseLines[pos:])
	return sb.String(), ok, nil
}

// splitLinesKeep splits s into lines that keep their "\n", as go-diff does.
func splitLinesKeep(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func nextLo(cm []chunk, i int, ct []chunk, j int) int {
	switch {
	case i >= len(cm):
		return ct[j].lo
	case j >= len(ct):
		return cm[i].lo
	}
	return min(cm[i].lo, ct[j].lo)
}

// touches reports whether c overlaps or is adjacent to the base range
// [lo, hi]: edits that close together are not safe to merge blindly.
func touches(c chunk, lo, hi int) bool { return c.lo <= hi && c.hi >= lo }

// apply returns base lines [lo, hi) with the chunks (all inside it) applied.
func apply(base []string, cs []chunk, lo, hi int) string {
	var sb strings.Builder
	pos := lo
	for _, c := range cs {
		writeAll(&sb, base[pos:c.lo])
		writeAll(&sb, c.repl)
		pos = c.hi
	}
	writeAll(&sb, base[pos:hi])
	return sb.String()
}

func writeAll(sb *strings.Builder, lines []string) {
	for _, l := range lines {
		sb.WriteString(l)
	}
}

func withNL(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}
