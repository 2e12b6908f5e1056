package wiki

import (
	"fmt"
	"testing"
	"time"
)

// TestPresenceBoard_Bounds: heartbeats for ever more pages and editors
// stop being recorded at the bounds, yet are still answered; expired
// entries make room again.
func TestPresenceBoard_Bounds(t *testing.T) {
	var b presenceBoard
	now := time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)
	u := func(login string) *User { return &User{Login: login} }
	for i := range maxPresencePages {
		b.beat(MustPath(fmt.Sprintf("usages/p%d", i)), u("alice"), now, false, false)
	}
	extra := MustPath("usages/de-trop")
	b.beat(extra, u("alice"), now, false, false)
	if len(b.pages) != maxPresencePages {
		t.Fatalf("%d pages recorded, the bound is %d", len(b.pages), maxPresencePages)
	}
	if got := b.beat(extra, u("bob"), now, false, false); len(got) != 0 {
		t.Fatalf("a page past the bound answers %+v", got)
	}
	later := now.Add(PresenceTTL)
	b.beat(extra, u("alice"), later, false, false)
	if len(b.pages) != 1 || b.pages[extra] == nil {
		t.Fatalf("expired pages were not swept: %d pages", len(b.pages))
	}
	p := MustPath("usages/foule")
	for i := range maxPresenceEditors + 10 {
		b.beat(p, u(fmt.Sprintf("m%d", i)), later, false, false)
	}
	if got := b.beat(p, u("m0"), later, false, false); len(got) != maxPresenceEditors-1 {
		t.Fatalf("%d others shown, the bound is %d editors", len(got), maxPresenceEditors)
	}
}

func BenchmarkPresenceBoard_Beat(b *testing.B) {
	var board presenceBoard
	now := time.Now()
	p := MustPath("usages/page")
	users := make([]*User, 20)
	for i := range users {
		users[i] = &User{Login: fmt.Sprintf("m%d", i)}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		board.beat(p, users[i%len(users)], now, i%2 == 0, false)
	}
}

func BenchmarkSections_2MiB(b *testing.B) {
	var md []byte
	for i := 0; len(md) < DefaultMaxPageBytes-200; i++ {
		md = fmt.Appendf(md, "## Section %d\n\nUn paragraphe de l'école, avec du texte.\n\n```\n# pas un titre\n```\n\n", i)
	}
	text := string(md)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SpliceSection(text, 500, "## Nouveau\n"); err != nil {
			b.Fatal(err)
		}
	}
}
