package textdiff

import (
	"context"
	"time"
)

// The guard: Myers' O(ND) algorithm in linear space, run on line numbers,
// for the texts go-diff cannot diff in bounded time (godiff.go). go-diff
// can only name 1,112,064 distinct lines, and its speed-ups (a naive
// substring search, the half-match) are quadratic and ignore its own
// deadline, so a hostile page could keep a core busy for minutes whatever
// the timeout. Here every step counts against a budget; when the budget
// runs out, the parts not yet compared become one deletion and one
// insertion each, a coarser script that still turns a into b exactly.

// checkEvery is how many steps of work pass between two looks at the clock
// and the context: a few microseconds of work.
const checkEvery = 1 << 12

// budget bounds the work of one diff in time and stops it with its context.
type budget struct {
	ctx      context.Context
	deadline time.Time
	ctxBound bool // the deadline is ctx's: reaching it ends the diff
	steps    int
	expired  bool  // past the deadline: finish coarsely
	err      error // the context ended: stop
	maxIDs   int   // the most distinct ids go-diff is given (useGoDiff)
	// maxMoveWork bounds the work of looking for moved lines (moves.go).
	maxMoveWork int

	// How many diffs each engine computed, and how many candidates the
	// search for moved lines visited, for the tests.
	goDiffs, guards, moveVisits int
}

// spend counts n steps and reports whether the diff should stop refining.
func (b *budget) spend(n int) bool {
	if b.expired || b.err != nil {
		return true
	}
	b.steps += n
	if b.steps < checkEvery {
		return false
	}
	b.steps = 0
	if err := b.ctx.Err(); err != nil {
		b.err = err
		return true
	}
	if time.Now().After(b.deadline) {
		b.expired = true
		if b.ctxBound {
			// ctx's own timer may not have fired yet.
			b.err = context.DeadlineExceeded
		}
	}
	return b.expired
}

// script collects an edit script as runs of one operation.
type script struct {
	runs []run
}

type run struct {
	op Op
	n  int
}

func (s *script) add(op Op, n int) {
	if n == 0 {
		return
	}
	if k := len(s.runs) - 1; k >= 0 && s.runs[k].op == op {
		s.runs[k].n += n
		return
	}
	s.runs = append(s.runs, run{op, n})
}

// myers diffs the id sequences a and b.
type myers struct {
	b      *budget
	out    script
	vf, vb []int32 // the forward and backward frontiers, reused by every call
}

// diffIDs returns the edit script turning a into b, as runs.
func diffIDs(bud *budget, a, b []int32) []run {
	n := len(a) + len(b) + 4 // split uses up to 2*ceil((n+l)/2)+3
	m := &myers{b: bud, vf: make([]int32, n), vb: make([]int32, n)}
	m.compare(a, b, 0)
	return m.out.runs
}

// maxDepth bounds the recursion of compare. Splitting at the middle snake
// halves the edit distance, so a text of millions of lines needs about 22
// levels; past maxDepth something is wrong, and a coarse answer is safer
// than a deep stack.
const maxDepth = 64

// compare appends the script turning a into b.
func (m *myers) compare(a, b []int32, depth int) {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	a, b = a[pre:], b[pre:]
	suf := 0
	for suf < len(a) && suf < len(b) && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	a, b = a[:len(a)-suf], b[:len(b)-suf]
	m.b.spend(pre + suf)
	m.out.add(Equal, pre)
	switch x, y, ok := m.split(a, b); {
	case ok && depth < maxDepth:
		m.compare(a[:x], b[:y], depth+1)
		m.compare(a[x:], b[y:], depth+1)
	default:
		m.out.add(Delete, len(a))
		m.out.add(Insert, len(b))
	}
	m.out.add(Equal, suf)
}

// split finds the middle snake of a and b (no common first or last
// element) and returns a point of it, where a shortest script can be cut
// in two. ok is false when the texts share nothing, when one is empty, or
// when the budget ran out: the caller then replaces a by b whole.
func (m *myers) split(a, b []int32) (x, y int, ok bool) {
	n, l := len(a), len(b)
	if n == 0 || l == 0 || m.b.spend(0) {
		return 0, 0, false
	}
	maxD := (n + l + 1) / 2
	off := maxD + 1
	vf, vb := m.vf[:2*maxD+3], m.vb[:2*maxD+3]
	m.b.spend(len(vf))
	for i := range vf {
		vf[i], vb[i] = -1, -1
	}
	vf[off+1], vb[off+1] = 0, 0
	delta := n - l
	odd := delta%2 != 0
	var f, r frontier
	for d := 0; d < maxD; d++ {
		if m.b.spend(2*d + 2) {
			return 0, 0, false
		}
		if x, y, ok := f.forward(m.b, a, b, vf, vb, off, d, odd); ok {
			return x, y, inside(x, y, n, l)
		}
		if x, y, ok := r.backward(m.b, a, b, vf, vb, off, d, !odd); ok {
			return x, y, inside(x, y, n, l)
		}
	}
	return 0, 0, false
}

// inside reports whether (x, y) splits the n×l edit graph into two smaller
// ones. Any such split gives a correct script (only its length depends on
// the snake being the middle one), and the recursion then ends: checking it
// here keeps a flaw in the search from ever becoming a panic or a loop.
func inside(x, y, n, l int) bool {
	return x >= 0 && x <= n && y >= 0 && y <= l && x+y > 0 && x+y < n+l
}

// frontier holds the diagonals a direction has ruled out: those that ran
// off the edit graph.
type frontier struct{ start, end int }

// forward walks the forward frontier one edit further (d edits) and checks
// it against the backward one when check is set.
func (f *frontier) forward(bud *budget, a, b []int32, vf, vb []int32, off, d int, check bool) (int, int, bool) {
	n, l, delta := len(a), len(b), len(a)-len(b)
	for k := -d + f.start; k <= d-f.end; k += 2 {
		i := off + k
		var x int
		if k == -d || k != d && vf[i-1] < vf[i+1] {
			x = int(vf[i+1])
		} else {
			x = int(vf[i-1]) + 1
		}
		y, x0 := x-k, x
		for x >= 0 && y >= 0 && x < n && y < l && a[x] == b[y] {
			x, y = x+1, y+1
		}
		bud.spend(x - x0)
		vf[i] = int32(x)
		switch {
		case x > n:
			f.end += 2
		case y > l:
			f.start += 2
		case check:
			if j := off + delta - k; j >= 0 && j < len(vb) && vb[j] != -1 && x >= n-int(vb[j]) {
				return x, y, true
			}
		}
	}
	return 0, 0, false
}

// backward walks the backward frontier, which counts x from the end of a.
// On overlap it returns the forward frontier's point on that diagonal.
func (f *frontier) backward(bud *budget, a, b []int32, vf, vb []int32, off, d int, check bool) (int, int, bool) {
	n, l, delta := len(a), len(b), len(a)-len(b)
	for k := -d + f.start; k <= d-f.end; k += 2 {
		i := off + k
		var x int
		if k == -d || k != d && vb[i-1] < vb[i+1] {
			x = int(vb[i+1])
		} else {
			x = int(vb[i-1]) + 1
		}
		y, x0 := x-k, x
		for x >= 0 && y >= 0 && x < n && y < l && a[n-x-1] == b[l-y-1] {
			x, y = x+1, y+1
		}
		bud.spend(x - x0)
		vb[i] = int32(x)
		switch {
		case x > n:
			f.end += 2
		case y > l:
			f.start += 2
		case check:
			kf := delta - k
			if j := off + kf; j >= 0 && j < len(vf) && vf[j] != -1 {
				if xf := int(vf[j]); xf >= n-x {
					return xf, xf - kf, true
				}
			}
		}
	}
	return 0, 0, false
}
