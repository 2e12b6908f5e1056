package textdiff

// lines is Lines within a budget that several diffs may share.
func lines(bud *budget, a, b string) ([]Line, error) {
	if err := bud.ctx.Err(); err != nil {
		return nil, err
	}
	la, lb := splitLinesKeep(a), splitLinesKeep(b)
	// Common ends are most of an edited page: skip them before numbering.
	pre := 0
	for pre < len(la) && pre < len(lb) && la[pre] == lb[pre] {
		pre++
	}
	suf := 0
	for suf < len(la)-pre && suf < len(lb)-pre && la[len(la)-1-suf] == lb[len(lb)-1-suf] {
		suf++
	}
	ms, err := matches(bud, la[pre:len(la)-suf], lb[pre:len(lb)-suf])
	if err != nil {
		return nil, err
	}
	out := make([]Line, 0, len(la)+len(lb)-pre-suf)
	add := func(op Op, lines []string) {
		for _, l := range lines {
			out = append(out, Line{op, l})
		}
	}
	add(Equal, la[:pre])
	i, j := pre, pre // next line of a and of b
	for _, m := range ms {
		add(Delete, la[i:pre+m.a])
		add(Insert, lb[j:pre+m.b])
		i, j = pre+m.a+m.n, pre+m.b+m.n
		add(Equal, la[pre+m.a:i])
	}
	add(Delete, la[i:len(la)-suf])
	add(Insert, lb[j:len(lb)-suf])
	add(Equal, la[len(la)-suf:])
	return out, nil
}

// match says that lines a..a+n of one text equal lines b..b+n of the other.
type match struct{ a, b, n int }

// matches returns the runs of lines a and b have in common, in order, as
// found by a diff. A line that occurs in only one text can match nothing,
// so the diff runs without those: texts that share no line (a page
// rewritten whole) cost no search at all, and the result is as short.
func matches(bud *budget, a, b []string) ([]match, error) {
	ia, ib, nIDs := lineIDs(a, b)
	inA, inB := make([]bool, nIDs), make([]bool, nIDs)
	for _, id := range ia {
		inA[id] = true
	}
	for _, id := range ib {
		inB[id] = true
	}
	fa, posA := keep(ia, inB)
	fb, posB := keep(ib, inA)
	runs := diffIDs(bud, fa, fb)
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
				pa, pb := int(posA[i]), int(posB[j])
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

// keep returns the ids that in holds, and where each was in ids.
func keep(ids []int32, in []bool) (kept, pos []int32) {
	for i, id := range ids {
		if in[id] {
			kept = append(kept, id)
			pos = append(pos, int32(i))
		}
	}
	return kept, pos
}

// lineIDs numbers the lines of a and b, equal lines alike, so that the diff
// compares integers, and returns how many distinct lines there are. Numbers
// are int32: a text has far fewer lines.
func lineIDs(a, b []string) (ia, ib []int32, n int) {
	// Not sized for len(a)+len(b): a page of one repeated line would pay
	// for a huge empty map.
	ids := make(map[string]int32)
	conv := func(lines []string) []int32 {
		out := make([]int32, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = int32(len(ids))
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	ia, ib = conv(a), conv(b)
	return ia, ib, len(ids)
}
