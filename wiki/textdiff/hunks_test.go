package textdiff

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// applyHunks applies the hunks of d to a, checking that each hunk sits
// where its numbers say in both texts, that its counts match its lines,
// that hunks are in order and apart, and that every context and deleted
// line is a's.
func applyHunks(t *testing.T, a string, d wiki.Diff) string {
	t.Helper()
	old := splitLinesKeep(a)
	var out []string
	at, shift := 0, 0 // next line of a to copy; lines of b minus lines of a so far
	for i, h := range d.Hunks {
		if h.FromLine-1 < at || (i > 0 && h.FromLine-1 == at) {
			t.Fatalf("hunk %d starts at line %d, inside or touching the previous hunk (ends before %d)", i, h.FromLine, at+1)
		}
		if h.ToLine != h.FromLine+shift {
			t.Fatalf("hunk %d: ToLine = %d, want %d", i, h.ToLine, h.FromLine+shift)
		}
		out = append(out, old[at:h.FromLine-1]...)
		at = h.FromLine - 1
		from, to := 0, 0
		for _, l := range h.Lines {
			if l.Op != wiki.DiffInsert {
				if at >= len(old) || old[at] != l.Text {
					t.Fatalf("hunk %d: line %d of a is not %q", i, at+1, l.Text)
				}
				at++
				from++
			}
			if l.Op != wiki.DiffDelete {
				out = append(out, l.Text)
				to++
			}
		}
		if from != h.FromCount || to != h.ToCount {
			t.Fatalf("hunk %d: counts %d,%d, lines give %d,%d", i, h.FromCount, h.ToCount, from, to)
		}
		shift += to - from
	}
	return strings.Join(append(out, old[at:]...), "")
}

// diffOf returns the diff of a and b or stops the test.
func diffOf(t *testing.T, a, b string) wiki.Diff {
	t.Helper()
	d, err := New().Diff(context.Background(), a, b)
	if err != nil {
		t.Fatalf("Diff: %v", err)
	}
	return d
}

// numbered returns lines "<prefix> 1\n" to "<prefix> n\n".
func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s %d\n", prefix, i+1)
	}
	return out
}

// ops writes a hunk's lines as one mark per line, to compare shapes.
func ops(h wiki.DiffHunk) string {
	var sb strings.Builder
	for _, l := range h.Lines {
		sb.WriteByte(" -+"[l.Op])
	}
	return sb.String()
}

func TestDiffer_Diff(t *testing.T) {
	a := numbered("ligne", 20)
	join := func(ls []string) string { return strings.Join(ls, "") }
	replace := func(ls []string, at map[int]string) []string {
		out := append([]string(nil), ls...)
		for i, s := range at {
			out[i] = s
		}
		return out
	}
	type hunk struct {
		from, fromN, to, toN int
		ops                  string
	}
	cases := []struct {
		name      string
		a, b      string
		want      []hunk
		add, rem  int
		firstText string // the first line of the first hunk
	}{
		{"equal texts have no hunk", join(a), join(a), nil, 0, 0, ""},
		{"one change has three lines of context", join(a), join(replace(a, map[int]string{9: "changée\n"})),
			[]hunk{{7, 7, 7, 7, "   -+   "}}, 1, 1, "ligne 7\n"},
		{"context stops at the start", join(a), join(replace(a, map[int]string{0: "changée\n"})),
			[]hunk{{1, 4, 1, 4, "-+   "}}, 1, 1, "ligne 1\n"},
		{"context stops at the end", join(a), join(replace(a, map[int]string{19: "changée\n"})),
			[]hunk{{17, 4, 17, 4, "   -+"}}, 1, 1, "ligne 17\n"},
		{"changes six lines apart share a hunk", join(a), join(replace(a, map[int]string{3: "x\n", 10: "y\n"})),
			[]hunk{{1, 14, 1, 14, "   -+      -+   "}}, 2, 2, "ligne 1\n"},
		{"changes seven lines apart get two hunks", join(a), join(replace(a, map[int]string{3: "x\n", 11: "y\n"})),
			[]hunk{{1, 7, 1, 7, "   -+   "}, {9, 7, 9, 7, "   -+   "}}, 2, 2, "ligne 1\n"},
		{"an insertion shifts the next hunk", join(a), join(append(append(append([]string(nil), a[:2]...), "ajout 1\n", "ajout 2\n"), replace(a, map[int]string{15: "z\n"})[2:]...)),
			[]hunk{{1, 5, 1, 7, "  ++   "}, {13, 7, 15, 7, "   -+   "}}, 3, 1, "ligne 1\n"},
		{"from the empty text", "", join(a[:2]), []hunk{{1, 0, 1, 2, "++"}}, 2, 0, "ligne 1\n"},
		{"to the empty text", join(a[:2]), "", []hunk{{1, 2, 1, 0, "--"}}, 0, 2, "ligne 1\n"},
		{"a last line without newline", "a\nb", "a\nc", []hunk{{1, 2, 1, 2, " -+"}}, 1, 1, "a\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := diffOf(t, c.a, c.b)
			var got []hunk
			for _, h := range d.Hunks {
				got = append(got, hunk{h.FromLine, h.FromCount, h.ToLine, h.ToCount, ops(h)})
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("hunks = %+v, want %+v", got, c.want)
			}
			if d.Added != c.add || d.Removed != c.rem {
				t.Errorf("added, removed = %d, %d, want %d, %d", d.Added, d.Removed, c.add, c.rem)
			}
			if len(d.Hunks) > 0 && d.Hunks[0].Lines[0].Text != c.firstText {
				t.Errorf("first line = %q, want %q", d.Hunks[0].Lines[0].Text, c.firstText)
			}
			if got := applyHunks(t, c.a, d); got != c.b {
				t.Errorf("applied hunks give %q, want %q", got, c.b)
			}
		})
	}
}

// TestDiffer_DiffRandom checks that the hunks of random pairs, some close
// (a few lines edited), some far apart, turn a into b, and that the
// unified text is a formatting of the same hunks.
func TestDiffer_DiffRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 500 {
		a := randomText(r, r.IntN(40))
		b := randomText(r, r.IntN(40))
		if r.IntN(2) == 0 && len(a) > 2 {
			lo := r.IntN(len(a) - 1)
			b = edit(r, a, lo, lo+1+r.IntN(len(a)-lo-1))
		}
		as, bs := strings.Join(a, ""), strings.Join(b, "")
		if r.IntN(4) == 0 {
			bs = strings.TrimSuffix(bs, "\n")
		}
		d := diffOf(t, as, bs)
		if got := applyHunks(t, as, d); got != bs {
			t.Fatalf("case %d: applied hunks differ\na=%q\nb=%q\n%+v", i, as, bs, d)
		}
		if (len(d.Hunks) == 0) != (as == bs) {
			t.Fatalf("case %d: %d hunks for a == b %v", i, len(d.Hunks), as == bs)
		}
		u, add, rem, _ := New().Unified(context.Background(), as, bs, "a", "b")
		if u != d.Unified("a", "b") || add != d.Added || rem != d.Removed {
			t.Fatalf("case %d: Unified disagrees with Diff", i)
		}
	}
}
