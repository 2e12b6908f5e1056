package store

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
)

// deltaPairs are base/target pairs at the edges of the line split: no final
// newline, CRLF, lone '\r', empty texts, invalid UTF-8, NUL bytes, repeated
// lines, and a text long enough for the script to be compressed.
var deltaPairs = [][2]string{
	{"", ""},
	{"", "une ligne"},
	{"une ligne", ""},
	{"a\nb\nc\n", "a\nb\nc"},
	{"a\nb\nc", "a\nb\nc\n"},
	{"a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"},
	{"a\rb\rc", "a\rb\rd"},
	{"\n\n\n", "\n\n"},
	{"l'élève\n", "l\xffélève\n\xc3"},
	{"x\x00y\nz", "x\x00y\nz\x00"},
	{"même\nmême\nmême\n", "même\nautre\nmême\nmême\nmême\n"},
	{strings.Repeat("Le cahier de textes est à jour.\n", 300), strings.Repeat("La messagerie de l'ENT fonctionne.\n", 300)},
	{strings.Repeat("ligne commune\n", 50) + "fin", "début\n" + strings.Repeat("ligne commune\n", 49) + "fin\n"},
}

func roundTrip(t *testing.T, db *DB, base, target string) []byte {
	t.Helper()
	d, err := db.makeDelta(base, target)
	if err != nil {
		t.Fatalf("makeDelta(%q, %q): %v", base, target, err)
	}
	got, err := db.applyDelta(base, d, len(target))
	if err != nil || got != target {
		t.Fatalf("applyDelta(%q) = %q, %v; want %q", base, got, err, target)
	}
	return d
}

func TestDelta_RoundTrip(t *testing.T) {
	t.Parallel()
	db := &DB{}
	for _, p := range deltaPairs {
		roundTrip(t, db, p[0], p[1])
		roundTrip(t, db, p[1], p[0])
	}
}

// A one-line edit of a long page costs about the edited line, whatever the
// page size: the property that makes storage grow with the edits.
func TestDelta_SizeFollowsTheEdit(t *testing.T) {
	t.Parallel()
	db := &DB{}
	var b strings.Builder
	for i := range 400 {
		b.WriteString("Paragraphe sur l'ENT du collège numéro ")
		b.WriteString(strings.Repeat("x", i%17))
		b.WriteString(".\n")
	}
	base := b.String()
	target := strings.Replace(base, "numéro xxxxx.\n", "numéro cinq, corrigé.\n", 1)
	if d := roundTrip(t, db, base, target); len(d) > 96 {
		t.Errorf("one-line delta of a %d-byte page takes %d bytes", len(base), len(d))
	}
}

// A paragraph is one line in Markdown: a word or a sentence changed in a
// long one costs that word or sentence, not the paragraph.
func TestDelta_SizeFollowsTheWord(t *testing.T) {
	t.Parallel()
	db := &DB{}
	var b strings.Builder
	for i := range 40 {
		fmt.Fprintf(&b, "La vie scolaire du collège n°%d vérifie les absences saisies dans l'ENT. ", i)
	}
	para := b.String()
	base := "# Absences\n\n" + para + "\n\n" + para + "\n"
	for _, tc := range []struct{ name, from, to string }{
		{"word", "n°17 vérifie", "n°17 contrôle"},
		{"sentence", "La vie scolaire du collège n°23 vérifie les absences saisies dans l'ENT. ", "Le CPE relance les familles. "},
		{"end", "n°39 vérifie les absences saisies dans l'ENT. \n", "n°39 vérifie tout.\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := strings.Replace(base, tc.from, tc.to, 1)
			for _, pair := range [][2]string{{base, target}, {target, base}} {
				if d := roundTrip(t, db, pair[0], pair[1]); len(d) > 24+len(tc.from) {
					t.Errorf("delta of a %d-byte paragraph changing %q takes %d bytes", len(para), tc.from, len(d))
				}
			}
		})
	}
}

// A damaged delta never panics nor yields a text of another length than
// the one it claims (the SHA-256 check of the caller catches the rest), and
// a truncated one is always an error.
func TestDelta_DamageIsBounded(t *testing.T) {
	t.Parallel()
	db := &DB{}
	base := strings.Repeat("Le conseiller TICE publie le compte rendu.\n", 40)
	target := "Nouveau titre\n" + base[:200] + "insertion au milieu\n" + base[200:]
	d := roundTrip(t, db, base, target)
	for i := range d {
		for _, bad := range []byte{0x00, 0xff, d[i] ^ 0x01} {
			c := append([]byte(nil), d...)
			c[i] = bad
			if got, err := db.applyDelta(base, c, len(target)); err == nil && got != target && len(got) != len(target) {
				t.Fatalf("byte %d = %#x: no error and a %d-byte text, want %d", i, bad, len(got), len(target))
			}
		}
		if _, err := db.applyDelta(base, d[:i], len(target)); err == nil {
			t.Fatalf("delta truncated to %d bytes applied without error", i)
		}
	}
}

// FuzzDelta checks that any pair of texts round-trips byte-exactly, and that
// applying arbitrary bytes as a delta never panics. The long seeds make the
// fuzzer's default minimisation slow; run it with -fuzzminimizetime=200x.
func FuzzDelta(f *testing.F) {
	for _, p := range deltaPairs {
		f.Add(p[0], p[1])
	}
	db := &DB{}
	f.Fuzz(func(t *testing.T, base, target string) {
		d, err := db.makeDelta(base, target)
		if err != nil {
			t.Fatalf("makeDelta: %v", err)
		}
		if got, err := db.applyDelta(base, d, len(target)); err != nil || got != target {
			t.Fatalf("round trip = %q, %v; want %q", got, err, target)
		}
		_, _ = db.applyDelta(base, []byte(target), len(target))
		_, _ = db.applyDelta(target, append([]byte{deltaRaw}, base...), len(base))
	})
}

// hostileDeltaPairs are revisions that made go-diff's speed-ups (the
// half-match, a naive substring search) quadratic whatever its deadline:
// 100,000 identical lines between different ends, and a long run shifted.
// The last is the worst pair textdiff still gives go-diff: 2,048 lines.
// Generated with testdata/hostile, not stored.
func hostileDeltaPairs() [][2]string {
	const n = 100000
	run := hostile.SameLines(n, "a")
	return [][2]string{
		{"b\n" + run + "b\n", "c\n" + run + "c\n"},
		{"b\n" + run, run[:n] + "d\n"},
		{hostile.SameLines(n, "x") + hostile.SameLines(n, "y"), hostile.SameLines(n, "y") + hostile.SameLines(n, "x")},
		{"b\n" + run[:2*2046] + "c\n", "c\n" + run[:2*2046] + "b\n"},
	}
}

// The diff of a delta runs on every save: a hostile pair of revisions
// must cost a bounded time (the delta may be coarse), and still round-trip.
func TestDelta_HostileBounded(t *testing.T) {
	t.Parallel()
	db := &DB{}
	for i, p := range hostileDeltaPairs() {
		start := time.Now()
		roundTrip(t, db, p[0], p[1])
		// Only catches hangs; BenchmarkDelta_Hostile measures.
		if el := time.Since(start); el > 30*time.Second {
			t.Errorf("pair %d: the delta took %v", i, el)
		}
	}
}

func BenchmarkDelta_Hostile(b *testing.B) {
	db := &DB{}
	for i, p := range hostileDeltaPairs() {
		b.Run(strconv.Itoa(i), func(b *testing.B) {
			for b.Loop() {
				if _, err := db.makeDelta(p[0], p[1]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
