package textdiff

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
)

// The hostile inputs of issue 7 come from testdata/hostile rather than
// stored files: a page of 60,000 distinct lines, pages of one line repeated
// 160,000 times; the ones below make naive substring searches quadratic.

// replaceLines returns text with the lines at the given indexes replaced by
// "changed i by who".
func replaceLines(text, who string, at ...int) string {
	lines := splitLinesKeep(text)
	for _, i := range at {
		lines[i] = "changed " + strconv.Itoa(i) + " by " + who + "\n"
	}
	return strings.Join(lines, "")
}

// swappedHalves returns n lines "x" then n lines "y".
func swappedHalves(n int) string {
	return hostile.SameLines(n, "x") + hostile.SameLines(n, "y")
}

// hangLimit only catches hangs; speed is measured by the benchmarks. The
// race detector makes this code several times slower (slowdown).
const hangLimit = 30 * time.Second * slowdown

// checkUnified diffs a and b and checks that the diff applies exactly.
func checkUnified(t *testing.T, d Differ, a, b string) (added, removed int) {
	t.Helper()
	start := time.Now()
	u, added, removed, err := d.Unified(context.Background(), a, b, "a", "b")
	if err != nil {
		t.Fatalf("Unified: %v", err)
	}
	if el := time.Since(start); el > hangLimit {
		t.Errorf("Unified took %v", el)
	}
	if got := applyUnified(t, a, u); got != b {
		t.Fatalf("the diff does not turn a into b")
	}
	return added, removed
}

func TestDiffer_UnifiedHostile(t *testing.T) {
	d := New()
	t.Run("60000 distinct lines, three changed", func(t *testing.T) {
		a := hostile.NumberedLines("ligne", 60000)
		b := replaceLines(a, "moi", 10, 30000, 59990)
		if add, rem := checkUnified(t, d, a, b); add != 3 || rem != 3 {
			t.Errorf("stats = +%d -%d, want +3 -3", add, rem)
		}
	})
	t.Run("60000 distinct lines replaced by 60000 others", func(t *testing.T) {
		checkUnified(t, d, hostile.NumberedLines("avant", 60000), hostile.NumberedLines("après", 60000))
	})
	t.Run("more distinct lines than runes", func(t *testing.T) {
		// More distinct lines than a rune-per-line diff has runes: 1.2
		// million against the 1,112,064 runes. The bound is lowered to
		// 2048 ids (Differ.goDiffIDs) and the texts scaled with it, 2,210
		// distinct lines, over the bound by the same factor and few
		// enough (1105×1105) that only the ids bound turns go-diff away;
		// TestIDRunes checks the real bound.
		small := Differ{goDiffIDs: 2048}
		checkUnified(t, small, hostile.NumberedLines("a", 1105), hostile.NumberedLines("b", 1105))
	})
	for _, n := range []int{40000, 160000} {
		t.Run(strconv.Itoa(n)+" x then "+strconv.Itoa(n)+" y", func(t *testing.T) {
			a, b := hostile.SameLines(n, "x"), hostile.SameLines(n, "y")
			if add, rem := checkUnified(t, d, a, b); add != n || rem != n {
				t.Errorf("stats = +%d -%d, want +%d -%d", add, rem, n, n)
			}
		})
	}
	t.Run("halves swapped", func(t *testing.T) {
		// Every line is shared and the shortest script is 160,000 lines
		// long: the search must give up in time and still be exact. It
		// runs until its time bound, so the bound is lowered from the
		// default second: the script is still thousands of times past
		// what the search can find in it.
		d := Differ{Timeout: 100 * time.Millisecond}
		checkUnified(t, d, swappedHalves(80000), swappedHalves(80000)[80000*2:]+swappedHalves(80000)[:80000*2])
	})
	t.Run("long shared runs shifted", func(t *testing.T) {
		// No common first or last line, and b's lines are mostly a run of
		// a's: a substring search for b in a is quadratic here.
		const n = 200000
		a := "b\n" + strings.Repeat("a\n", n)
		b := strings.Repeat("a\n", n/2) + "d\n"
		checkUnified(t, d, a, b)
	})
}

// vocabText returns n lines drawn from a small vocabulary: every line
// occurs many times, so the diff must search.
func vocabText(n int) string {
	return strings.Join(randomText(rand.New(rand.NewPCG(5, 6)), n), "")
}

// TestDiffer_Coarse forces coarse diffs with a tiny time bound: they must
// still turn a into b exactly.
func TestDiffer_Coarse(t *testing.T) {
	a := vocabText(5000)
	at := spaced(3, 5000, 10)
	b := replaceLines(a, "moi", at...)
	coarse, rem := checkUnified(t, Differ{Timeout: time.Nanosecond}, a, b)
	exact, _ := checkUnified(t, New(), a, b)
	if exact != len(at) {
		t.Errorf("exact diff adds %d lines, want %d", exact, len(at))
	}
	if coarse <= exact || coarse != rem {
		t.Errorf("coarse diff = +%d -%d, want more than the exact +%d", coarse, rem, exact)
	}
}

func TestDiffer_Cancelled(t *testing.T) {
	// The shortest script from x…xy…y to y…yx…x is long to find.
	a := swappedHalves(80000)
	b := a[80000*2:] + a[:80000*2]
	base := hostile.NumberedLines("ligne", 60000)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d := New()
	t.Run("Unified", func(t *testing.T) {
		start := time.Now()
		_, _, _, err := d.Unified(ctx, a, b, "a", "b")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if el := time.Since(start); el > hangLimit {
			t.Errorf("a cancelled diff took %v", el)
		}
	})
	t.Run("Merge3", func(t *testing.T) {
		_, _, err := d.Merge3(ctx, base, replaceLines(base, "moi", 5), replaceLines(base, "eux", 50000), 2)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("cancelled while diffing", func(t *testing.T) {
		// Cancelled after the diff started, with no deadline to end it
		// otherwise: only watching ctx stops it.
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, _, _, err := Differ{Timeout: time.Hour}.Unified(ctx, a, b, "a", "b")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if el := time.Since(start); el > hangLimit {
			t.Errorf("a diff cancelled while running took %v", el)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, _, _, err := Differ{Timeout: time.Hour}.Unified(ctx, a, b, "a", "b")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want context.DeadlineExceeded", err)
		}
		if el := time.Since(start); el > hangLimit {
			t.Errorf("a diff past its deadline took %v", el)
		}
	})
}

func TestDiffer_Merge3Hostile(t *testing.T) {
	d := New()
	ctx := context.Background()
	base := hostile.NumberedLines("ligne", 60000)
	t.Run("60000 distinct lines, disjoint edits", func(t *testing.T) {
		mine, theirs := replaceLines(base, "moi", 100), replaceLines(base, "eux", 50000)
		got, ok, err := d.Merge3(ctx, base, mine, theirs, 2)
		if err != nil || !ok {
			t.Fatalf("Merge3: ok %v, %v", ok, err)
		}
		if want := replaceLines(base, "moi", 100); replaceLines(want, "eux", 50000) != got {
			t.Errorf("merged text lost an edit")
		}
	})
	t.Run("60000 distinct lines, same line", func(t *testing.T) {
		got, ok, err := d.Merge3(ctx, base, replaceLines(base, "moi", 30000), replaceLines(base, "eux", 30000), 2)
		if err != nil || ok {
			t.Fatalf("Merge3: ok %v, %v; want a conflict", ok, err)
		}
		if !strings.Contains(got, "<<<<<<< yours\nchanged 30000 by moi\n=======\nchanged 30000 by eux\n>>>>>>> revision 2\n") {
			t.Errorf("conflict region missing")
		}
	})
	t.Run("160000 lines rewritten against one edit", func(t *testing.T) {
		base := hostile.SameLines(160000, "x")
		mine := hostile.SameLines(160000, "y")
		theirs := strings.Replace(base, "x\n", "z\n", 1)
		start := time.Now()
		got, ok, err := d.Merge3(ctx, base, mine, theirs, 2)
		if err != nil || ok {
			t.Fatalf("Merge3: ok %v, %v; want a conflict", ok, err)
		}
		if el := time.Since(start); el > hangLimit {
			t.Errorf("Merge3 took %v", el)
		}
		yours, others := sides(t, got)
		if yours != mine || others != theirs {
			t.Errorf("the conflict does not hold both texts")
		}
	})
	t.Run("coarse diffs never lose an edit", func(t *testing.T) {
		if checkCoarseMerge(t, Differ{Timeout: time.Nanosecond}, vocabText(5000)) {
			t.Errorf("the time bound was not reached: the test checks nothing")
		}
	})
	t.Run("exact diffs merge scattered edits", func(t *testing.T) {
		if !checkCoarseMerge(t, New(), vocabText(5000)) {
			t.Errorf("exact diffs conflict")
		}
	})
}

// checkCoarseMerge merges many scattered disjoint edits with diffs that
// may be coarse: either the merge is exact, or it conflicts and each side
// of the conflicts holds its own edits. It reports whether it merged.
func checkCoarseMerge(t *testing.T, d Differ, base string) bool {
	t.Helper()
	atMine, atTheirs := spaced(5, 4990, 20), spaced(15, 5000, 20)
	mine, theirs := replaceLines(base, "moi", atMine...), replaceLines(base, "eux", atTheirs...)
	want := replaceLines(mine, "eux", atTheirs...)
	got, ok, err := d.Merge3(context.Background(), base, mine, theirs, 2)
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		if got != want {
			t.Fatalf("a clean merge lost an edit")
		}
		return true
	}
	yours, others := sides(t, got)
	for _, i := range atMine {
		if !strings.Contains(yours, "changed "+strconv.Itoa(i)+" by moi\n") {
			t.Fatalf("the yours side lost edit %d", i)
		}
	}
	for _, i := range atTheirs {
		if !strings.Contains(others, "changed "+strconv.Itoa(i)+" by eux\n") {
			t.Fatalf("the other side lost edit %d", i)
		}
	}
	return false
}

// sides resolves every conflict of a merged text one way and the other:
// keeping "yours", then keeping the other revision.
func sides(t *testing.T, merged string) (yours, theirs string) {
	t.Helper()
	var y, o strings.Builder
	state := 0 // 0 outside a conflict, 1 in yours, 2 in theirs
	for _, l := range splitLinesKeep(merged) {
		switch {
		case l == "<<<<<<< yours\n" && state == 0:
			state = 1
		case l == "=======\n" && state == 1:
			state = 2
		case strings.HasPrefix(l, ">>>>>>> revision ") && state == 2:
			state = 0
		default:
			if state != 2 {
				y.WriteString(l)
			}
			if state != 1 {
				o.WriteString(l)
			}
		}
	}
	if state != 0 {
		t.Fatalf("unterminated conflict")
	}
	return y.String(), o.String()
}

func FuzzDiffer_Merge3(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nB\nc\n", "a\nb\nC\n")
	f.Add("a\nb\n", "a\nx\n", "a\ny\n")
	f.Add("", "x", "y\n")
	f.Add("x\nx\nx\n", "x\nx\n", "x\ny\nx\nx\n")
	f.Fuzz(func(t *testing.T, base, mine, theirs string) {
		d := New()
		ctx := context.Background()
		if got, ok, err := d.Merge3(ctx, base, mine, base, 1); err != nil || !ok || got != mine {
			t.Fatalf("merge with theirs = base: %q, %v, %v; want mine", got, ok, err)
		}
		if got, ok, err := d.Merge3(ctx, base, base, theirs, 1); err != nil || !ok || got != theirs {
			t.Fatalf("merge with mine = base: %q, %v, %v; want theirs", got, ok, err)
		}
		if got, ok, err := d.Merge3(ctx, base, mine, mine, 1); err != nil || !ok || got != mine {
			t.Fatalf("merge of the same text: %q, %v, %v; want it", got, ok, err)
		}
		got, ok, err := d.Merge3(ctx, base, mine, theirs, 1)
		if err != nil {
			t.Fatal(err)
		}
		rev, rok, err := d.Merge3(ctx, base, theirs, mine, 1)
		if err != nil || ok != rok || ok && got != rev {
			t.Fatalf("merge is not symmetric: %q %v vs %q %v", got, ok, rev, rok)
		}
	})
}

// TestDiffer_LinesMinimal checks the scripts against the length of a
// longest common subsequence computed the slow way: within the time bound
// the diff is the shortest one, whether go-diff computes it (these texts
// are small) or the bounded Myers does.
func TestDiffer_LinesMinimal(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 2000 {
		a, b := randomText(r, r.IntN(40)), randomText(r, r.IntN(40))
		if r.IntN(3) == 0 && len(a) > 4 {
			b = edit(r, a, 1, 3)
		}
		want := len(a) + len(b) - 2*lcs(a, b)
		bud := New().newBudget(context.Background())
		script, err := lines(bud, strings.Join(a, ""), strings.Join(b, ""))
		if err != nil {
			t.Fatal(err)
		}
		if bud.goDiffs != 1 || bud.guards != 0 {
			t.Fatalf("case %d: go-diff ran %d times, the guard %d; want go-diff once", i, bud.goDiffs, bud.guards)
		}
		changed := 0
		for _, l := range script {
			if l.Op != Equal {
				changed++
			}
		}
		if changed != want {
			t.Fatalf("case %d: go-diff changes %d lines, the shortest script changes %d\na=%q\nb=%q", i, changed, want, a, b)
		}
		ta, tb := split(strings.Join(a, "")), split(strings.Join(b, ""))
		ia, ib, _ := lineIDs(ta, 0, ta.n(), tb, 0, tb.n())
		changed = 0
		for _, run := range diffIDs(New().newBudget(context.Background()), ia, ib) {
			if run.op != Equal {
				changed += run.n
			}
		}
		if changed != want {
			t.Fatalf("case %d: the guard changes %d lines, the shortest script changes %d\na=%q\nb=%q", i, changed, want, a, b)
		}
	}
}

// lcs is the length of a longest common subsequence of a and b.
func lcs(a, b []string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(prev[j+1], cur[j])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// The last resort: a panic in a diff becomes an internal error of the
// request, which the editor answers with the member's text kept.
func TestRecoverInternal(t *testing.T) {
	err := func() (err error) {
		defer recoverInternal(&err)
		var lines []string
		_ = lines[3] // index out of range
		return nil
	}()
	if wiki.ErrorCode(err) != wiki.EInternal || !strings.Contains(err.Error(), "index out of range") {
		t.Errorf("err = %v, want an internal error naming the panic", err)
	}
}
