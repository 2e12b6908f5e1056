package textdiff

import (
	"context"
	"strings"
)

// text is a text cut into lines by offsets, so that a page of two million
// short lines costs one int per line rather than a string header each.
type text struct {
	s  string
	at []int // at[i] is where line i starts; at[len(at)-1] == len(s)
}

// split cuts s into lines (see LineStarts).
func split(s string) text { return text{s, LineStarts(s)} }

// LineStarts returns the byte offset of each line of s, plus len(s) as a
// final sentinel. A line ends after '\n'; text after the last '\n' is a
// line too, so a missing final newline or a '\r' before it is just line
// content. The store's revision deltas number lines the same way.
func LineStarts(s string) []int {
	at := make([]int, 1, strings.Count(s, "\n")+2)
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '\n')
		if j < 0 {
			i = len(s)
		} else {
			i += j + 1
		}
		at = append(at, i)
	}
	return at
}

// n is the number of lines.
func (t text) n() int { return len(t.at) - 1 }

// line returns line i with its newline.
func (t text) line(i int) string { return t.s[t.at[i]:t.at[i+1]] }

// span returns lines [i, j) as one string.
func (t text) span(i, j int) string { return t.s[t.at[i]:t.at[j]] }

// Region is one changed region of a line diff: lines [A0, A1) of a become
// lines [B0, B1) of b, counted from 0. A line ends after '\n'; text after
// the last '\n' is a line too.
type Region struct{ A0, A1, B0, B1 int }

// Regions returns the changed regions turning a into b, in order and
// apart (at least one unchanged line between two of them). Like Lines, it
// is bounded in time and stops with ctx. Any bytes will do, valid UTF-8 or
// not: the store diffs revisions with it.
func (d Differ) Regions(ctx context.Context, a, b string) ([]Region, error) {
	return diff(d.newBudget(ctx), split(a), split(b))
}

// lines is Lines within a budget that several diffs may share.
func lines(bud *budget, a, b string) ([]Line, error) {
	ta, tb := split(a), split(b)
	es, err := diff(bud, ta, tb)
	if err != nil {
		return nil, err
	}
	size := ta.n()
	for _, e := range es {
		size += e.B1 - e.B0
	}
	out := make([]Line, 0, size)
	add := func(op Op, t text, i, j int) {
		for ; i < j; i++ {
			out = append(out, Line{op, t.line(i)})
		}
	}
	i := 0
	for _, e := range es {
		add(Equal, ta, i, e.A0)
		add(Delete, ta, e.A0, e.A1)
		add(Insert, tb, e.B0, e.B1)
		i = e.A1
	}
	add(Equal, ta, i, ta.n())
	return out, nil
}

// diff returns the changed regions turning a into b.
func diff(bud *budget, a, b text) ([]Region, error) {
	if err := bud.ctx.Err(); err != nil {
		return nil, err
	}
	// Common ends are most of an edited page: skip them before numbering.
	na, nb := a.n(), b.n()
	pre := 0
	for pre < na && pre < nb && a.line(pre) == b.line(pre) {
		pre++
	}
	suf := 0
	for suf < na-pre && suf < nb-pre && a.line(na-1-suf) == b.line(nb-1-suf) {
		suf++
	}
	ms, err := matches(bud, a, pre, na-suf, b, pre, nb-suf)
	if err != nil {
		return nil, err
	}
	var out []Region
	i, j := pre, pre
	for _, m := range ms {
		if m.a > i || m.b > j {
			out = append(out, Region{i, m.a, j, m.b})
		}
		i, j = m.a+m.n, m.b+m.n
	}
	if i < na-suf || j < nb-suf {
		out = append(out, Region{i, na - suf, j, nb - suf})
	}
	return out, nil
}

// match says that lines a..a+n of one text equal lines b..b+n of the other.
type match struct{ a, b, n int }

// matches returns the runs of lines a[a0:a1] and b[b0:b1] have in common,
// in order, as found by a diff: go-diff's when its worst case is small
// (godiff.go), else the bounded Myers. A line that occurs in only one text
// can match nothing, so the diff runs without those: texts that share no
// line (a page rewritten whole) cost no search at all, and the result is as
// short.
func matches(bud *budget, a text, a0, a1 int, b text, b0, b1 int) ([]match, error) {
	ia, ib, nIDs := lineIDs(a, a0, a1, b, b0, b1)
	inA, inB := make([]bool, nIDs), make([]bool, nIDs)
	for _, id := range ia {
		inA[id] = true
	}
	for _, id := range ib {
		inB[id] = true
	}
	fa, posA := keep(ia, inB, a0)
	fb, posB := keep(ib, inA, b0)
	runs, ok := []run(nil), false
	if bud.useGoDiff(a1-a0, b1-b0, nIDs) {
		runs, ok = goDiff(bud, fa, fb)
	}
	if !ok {
		bud.guards++
		runs = diffIDs(bud, fa, fb)
	}
	if bud.err != nil {
		return nil, bud.err
	}
	var out []match
	i, j := 0, 0 // in fa and fb
	for _, r := range runs {
		switch r.op {
		case Delete:
			i += r.n
		case Insert:
			j += r.n
		case Equal:
			for range r.n {
				pa, pb := posA[i], posB[j]
				if k := len(out) - 1; k >= 0 && out[k].a+out[k].n == pa && out[k].b+out[k].n == pb {
					out[k].n++
				} else {
					out = append(out, match{pa, pb, 1})
				}
				i, j = i+1, j+1
			}
		}
	}
	return out, nil
}

// keep returns the ids that in holds, and the line number of each (its
// index in ids plus off).
func keep(ids []int32, in []bool, off int) (kept []int32, pos []int) {
	for i, id := range ids {
		if in[id] {
			kept = append(kept, id)
			pos = append(pos, off+i)
		}
	}
	return kept, pos
}

// lineIDs numbers lines a[a0:a1] and b[b0:b1], equal lines alike, so that
// the diff compares integers, and returns how many distinct lines there
// are. Numbers are int32: a text has far fewer lines.
func lineIDs(a text, a0, a1 int, b text, b0, b1 int) (ia, ib []int32, n int) {
	// Not sized for every line: a page of one repeated line would pay for
	// a huge empty map.
	ids := make(map[string]int32)
	conv := func(t text, lo, hi int) []int32 {
		out := make([]int32, hi-lo)
		for i := range out {
			l := t.line(lo + i)
			id, ok := ids[l]
			if !ok {
				id = int32(len(ids))
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	ia, ib = conv(a, a0, a1), conv(b, b0, b1)
	return ia, ib, len(ids)
}
