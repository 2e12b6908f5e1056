package textdiff

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var hunkRE = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$`)

// applyUnified applies a unified diff to a, checking every context and
// removed line against a, the way patch(1) would, and every hunk header's
// ranges on both sides against the lines the hunk holds.
func applyUnified(t *testing.T, a, unified string) string {
	t.Helper()
	src := splitLinesKeep(a)
	lines := strings.SplitAfter(unified, "\n")
	if !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		t.Fatalf("missing ---/+++ header in %q", unified)
	}
	var out []string
	pos := 0
	for i := 2; i < len(lines) && lines[i] != ""; {
		m := hunkRE.FindStringSubmatch(strings.TrimSuffix(lines[i], "\n"))
		if m == nil {
			t.Fatalf("bad hunk header %q", lines[i])
		}
		start, count := hunkRange(m[1], m[2])
		bStart, bCount := hunkRange(m[3], m[4])
		out = append(out, src[pos:start-1]...)
		pos = start - 1
		if bStart-1 != len(out) {
			t.Fatalf("hunk %q starts the new text at line %d, but it is at line %d", lines[i], bStart, len(out)+1)
		}
		header, aSeen, bSeen := lines[i], 0, 0
		i++
		for i < len(lines) && lines[i] != "" && !strings.HasPrefix(lines[i], "@@") {
			if l := lines[i][0]; l != '+' {
				aSeen++
			}
			if l := lines[i][0]; l != '-' {
				bSeen++
			}
			l := lines[i]
			text := l[1:]
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], `\ No newline`) {
				text = strings.TrimSuffix(text, "\n")
				i++
			}
			switch l[0] {
			case ' ', '-':
				if pos >= len(src) || src[pos] != text {
					t.Fatalf("context mismatch at line %d: %q vs source", pos+1, text)
				}
				if l[0] == ' ' {
					out = append(out, text)
				}
				pos++
			case '+':
				out = append(out, text)
			default:
				t.Fatalf("bad diff line %q", l)
			}
			i++
		}
		if aSeen != count || bSeen != bCount {
			t.Fatalf("hunk %q holds %d old and %d new lines", header, aSeen, bSeen)
		}
	}
	out = append(out, src[pos:]...)
	return strings.Join(out, "")
}

// hunkRange reads one side of a hunk header, "l,n" or "l" (n = 1), as the
// 1-based line where the range starts and its length. "l,0" names the line
// before an empty range.
func hunkRange(line, count string) (start, n int) {
	start, _ = strconv.Atoi(line)
	n = 1
	if count != "" {
		n, _ = strconv.Atoi(count)
	}
	if n == 0 {
		start++
	}
	return start, n
}

func TestDiffer_Unified(t *testing.T) {
	d := New()
	cases := []struct {
		name, a, b   string
		added, remov int
	}{
		{"equal", "un\ndeux\n", "un\ndeux\n", 0, 0},
		{"from empty", "", "Première ligne\nDeuxième\n", 2, 0},
		{"to empty", "Première ligne\n", "", 0, 1},
		{"one line changed", "L'école ouvre.\nLa cantine ferme.\nFin.\n", "L'école ouvre.\nLa cantine reste ouverte.\nFin.\n", 1, 1},
		{"no final newline", "alpha\nbêta", "alpha\ngamma", 1, 1},
		{"far apart", strings.Repeat("ligne commune\n", 5) + "a\n" + strings.Repeat("milieu\n", 10) + "b\n",
			strings.Repeat("ligne commune\n", 5) + "A\n" + strings.Repeat("milieu\n", 10) + "B\n", 2, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, add, rem, _ := d.Unified(context.Background(), c.a, c.b, "p@1", "p@2")
			if add != c.added || rem != c.remov {
				t.Errorf("stats = +%d -%d, want +%d -%d", add, rem, c.added, c.remov)
			}
			if c.a == c.b {
				if u != "" {
					t.Errorf("diff of equal texts = %q", u)
				}
				return
			}
			if !strings.HasPrefix(u, "--- p@1\n+++ p@2\n@@ ") {
				t.Errorf("header: %q", u)
			}
			if got := applyUnified(t, c.a, u); got != c.b {
				t.Errorf("patched = %q, want %q\n%s", got, c.b, u)
			}
		})
	}
	t.Run("two hunks when far apart", func(t *testing.T) {
		c := cases[5]
		u, _, _, _ := d.Unified(context.Background(), c.a, c.b, "x", "y")
		if n := strings.Count(u, "\n@@ "); n != 2 {
			t.Errorf("got %d hunks, want 2:\n%s", n, u)
		}
	})
}

// randomText makes a text of n lines drawn from a small vocabulary, so that
// random edits produce repeated lines, the hard case for diffs.
func randomText(r *rand.Rand, n int) []string {
	words := []string{"école", "ENT", "cahier de textes", "vie scolaire", "", "messagerie", "# Titre", "- point"}
	lines := make([]string, n)
	for i := range lines {
		lines[i] = words[r.IntN(len(words))] + " " + strconv.Itoa(r.IntN(4)) + "\n"
	}
	return lines
}

func edit(r *rand.Rand, lines []string, lo, hi int) []string {
	out := append([]string(nil), lines[:lo]...)
	for range r.IntN(3) {
		out = append(out, fmt.Sprintf("ajout %d\n", r.IntN(1000)))
	}
	if r.IntN(2) == 0 && hi > lo {
		out = append(out, lines[lo:hi-1]...) // delete one line of the range
	}
	return append(out, lines[hi:]...)
}

func TestDiffer_UnifiedRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		a := randomText(r, r.IntN(30))
		b := randomText(r, r.IntN(30))
		if r.IntN(2) == 0 && len(a) > 2 {
			b = edit(r, a, 1, 2)
		}
		as, bs := strings.Join(a, ""), strings.Join(b, "")
		if r.IntN(4) == 0 {
			bs = strings.TrimSuffix(bs, "\n")
		}
		u, _, _, _ := New().Unified(context.Background(), as, bs, "a", "b")
		if as == bs {
			continue
		}
		if got := applyUnified(t, as, u); got != bs {
			t.Fatalf("case %d: patched text differs\na=%q\nb=%q\n%s", i, as, bs, u)
		}
	}
}

func TestDiffer_Merge3(t *testing.T) {
	base := "# Connexion\n\nÉtape 1 : ouvrir l'ENT.\nÉtape 2 : saisir l'identifiant.\nÉtape 3 : valider.\n\nContact : support.\n"
	mineTop := strings.Replace(base, "ouvrir l'ENT", "ouvrir le portail de l'ENT", 1)
	theirsBottom := strings.Replace(base, "Contact : support.", "Contact : assistance académique.", 1)
	theirsTop := strings.Replace(base, "ouvrir l'ENT", "ouvrir l'application mobile", 1)
	cases := []struct {
		name, mine, theirs string
		wantOK             bool
		want               string
	}{
		{"disjoint edits merge", mineTop, theirsBottom, true,
			strings.Replace(mineTop, "Contact : support.", "Contact : assistance académique.", 1)},
		{"same edit both sides", mineTop, mineTop, true, mineTop},
		{"only mine", mineTop, base, true, mineTop},
		{"only theirs", base, theirsBottom, true, theirsBottom},
		{"overlap conflicts", mineTop, theirsTop, false,
			"# Connexion\n\n<<<<<<< yours\nÉtape 1 : ouvrir le portail de l'ENT.\n=======\nÉtape 1 : ouvrir l'application mobile.\n>>>>>>> revision 7\nÉtape 2 : saisir l'identifiant.\nÉtape 3 : valider.\n\nContact : support.\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok, _ := New().Merge3(context.Background(), base, c.mine, c.theirs, 7)
			if ok != c.wantOK || got != c.want {
				t.Errorf("Merge3 = %v\n%s\nwant %v\n%s", ok, got, c.wantOK, c.want)
			}
		})
	}
}

func TestDiffer_Merge3Random(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	d := New()
	for i := range 500 {
		base := randomText(r, 10+r.IntN(20))
		n := len(base)
		// Two edits in disjoint regions separated by at least one line.
		cut := 2 + r.IntN(n-4)
		mine := edit(r, base, r.IntN(cut-1), cut-1)
		theirs := edit(r, base, cut+1, cut+1+r.IntN(n-cut-1))
		bs, ms, ts := strings.Join(base, ""), strings.Join(mine, ""), strings.Join(theirs, "")
		if got, _, _ := d.Merge3(context.Background(), bs, ms, bs, 2); got != ms {
			t.Fatalf("case %d: merge with unchanged theirs lost mine", i)
		}
		if got, _, _ := d.Merge3(context.Background(), bs, bs, ts, 2); got != ts {
			t.Fatalf("case %d: merge with unchanged mine lost theirs", i)
		}
		got, ok, _ := d.Merge3(context.Background(), bs, ms, ts, 2)
		if !ok {
			// Diffs may align repeated lines differently and make the
			// regions touch; a conflict is then allowed, but it must
			// carry both texts' lines.
			if !strings.Contains(got, "<<<<<<< yours\n") {
				t.Fatalf("case %d: not ok but no conflict markers", i)
			}
			continue
		}
		// Both edits present: mine up to the two untouched lines at
		// cut-1 and cut, then theirs from there on.
		want := strings.Join(mine[:len(mine)-(n-cut+1)], "") + strings.Join(theirs[cut-1:], "")
		if got != want {
			t.Fatalf("case %d: merged text lost an edit\nbase=%q\nmine=%q\ntheirs=%q\ngot=%q", i, bs, ms, ts, got)
		}
	}
}

func FuzzDiffer_Unified(f *testing.F) {
	f.Add("un\ndeux\n", "un\ntrois\n")
	f.Add("", "x")
	f.Add("a\r\nb", "a\nb\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		script, err := New().Lines(context.Background(), a, b)
		if err != nil {
			t.Fatal(err)
		}
		var from, to strings.Builder
		for _, l := range script {
			if l.Op != Insert {
				from.WriteString(l.Text)
			}
			if l.Op != Delete {
				to.WriteString(l.Text)
			}
		}
		if from.String() != a || to.String() != b {
			t.Fatalf("the script's sides are %q and %q", from.String(), to.String())
		}
		u, _, _, _ := New().Unified(context.Background(), a, b, "a", "b")
		if a == b {
			return
		}
		if got := applyUnified(t, a, u); got != b {
			t.Fatalf("patched = %q, want %q", got, b)
		}
	})
}

// splitLinesKeep splits s into lines that keep their "\n".
func splitLinesKeep(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
