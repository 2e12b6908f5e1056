package main

import (
	"fmt"
	"strings"
)

// The hostile inputs of issue 7, made at run time rather than kept as
// multi-megabyte files. Sizes are those the issue measured.

// wideTable is a table whose header has cols columns followed by rows
// one-cell rows (a row needs no pipe): the renderer pads every row to the
// header's width, so 6 bytes per column and row ask for cols × rows cells.
func wideTable(cols, rows int) string {
	var b strings.Builder
	b.Grow(2*cols + 2*rows + 4)
	b.WriteString(strings.Repeat("|a", cols))
	b.WriteString("|\n")
	b.WriteString(strings.Repeat("|-", cols))
	b.WriteString("|\n")
	b.WriteString(strings.Repeat("b\n", rows))
	return b.String()
}

// linkBomb is `[a](<` repeated to n bytes: each opening may close much
// later, which makes a naive link parser quadratic.
func linkBomb(n int) string { return repeatTo("[a](<", n) }

// definitionBomb is n bytes of `[a]: /u` link reference definitions.
func definitionBomb(n int) string { return repeatTo("[a]: /u\n", n) }

// footnoteBomb is n bytes of references to one footnote, defined once:
// each reference becomes markup and a back link, about 30 times its size.
func footnoteBomb(n int) string { return repeatTo("[^1] ", n) + "\n\n[^1]: note\n" }

func repeatTo(s string, n int) string { return strings.Repeat(s, n/len(s)) }

// distinctLines is a page of n distinct lines; gen tells its revisions
// apart. Past 55,296 distinct lines a diff indexed by one rune per line
// runs into the surrogate range.
func distinctLines(n, gen int) string {
	var b strings.Builder
	b.Grow(n * 16)
	for i := range n {
		if gen > 1 && i%10 == 0 {
			fmt.Fprintf(&b, "ligne %d révisée %d\n", i, gen)
		} else {
			fmt.Fprintf(&b, "ligne %d\n", i)
		}
	}
	return b.String()
}

// sameLines is n lines of the one character c: two such revisions (x,
// then y) make the line diff's worst case.
func sameLines(n int, c string) string { return strings.Repeat(c+"\n", n) }
