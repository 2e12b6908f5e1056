package main

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
)

// The generators must make the inputs the issue measured, not smaller ones
// that would let a server pass.
func TestBombs_Sizes(t *testing.T) {
	tests := []struct {
		name     string
		md       string
		min, max int
	}{
		{"table 5,000 × 5,000", hostile.TableBomb(5000, 5000), 30_000, 31_000},
		{"table 3,000 × 3,000", hostile.TableBomb(3000, 3000), 18_000, 18_010},
		{"link bomb", hostile.OpenLinks(400_000), 399_000, 400_000},
		{"definitions", hostile.RefDefinitions(2_000_000), 1_999_000, 2_000_000},
		{"footnotes", hostile.FootnoteRefs(2_000_000), 1_999_000, 2_000_100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := len(tt.md); n < tt.min || n > tt.max {
				t.Errorf("%d bytes, want %d to %d", n, tt.min, tt.max)
			}
		})
	}
	t.Run("table shape", func(t *testing.T) {
		lines := strings.Split(strings.TrimSuffix(hostile.TableBomb(300, 200), "\n"), "\n")
		if len(lines) != 202 || strings.Count(lines[0], "|") != 301 || strings.Count(lines[1], "|-") != 300 {
			t.Errorf("want a 300-column header, its delimiter row and 200 rows; got %d lines", len(lines))
		}
	})
	t.Run("diff pages", func(t *testing.T) {
		distinct := map[string]bool{}
		for _, gen := range []int{1, 2} {
			for _, l := range strings.Split(hostile.DistinctLines(60000, gen), "\n") {
				distinct[l] = true
			}
		}
		if len(distinct) <= 55296 || hostile.DistinctLines(60000, 1) == hostile.DistinctLines(60000, 2) {
			t.Errorf("%d distinct lines in the two revisions, want more than 55,296", len(distinct))
		}
	})
}

func TestAttacks_Only(t *testing.T) {
	all, err := attacks("")
	if err != nil || len(all) != 11 {
		t.Fatalf("attacks(\"\") = %d attacks, %v", len(all), err)
	}
	some, err := attacks("^search")
	if err != nil || len(some) != 4 {
		t.Errorf(`attacks("^search") = %d attacks, %v; want the 4 searches`, len(some), err)
	}
	if _, err := attacks("nothing like it"); err == nil {
		t.Error("an -only matching nothing is accepted")
	}
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestStatusOf(t *testing.T) {
	tests := []struct {
		code int
		err  error
		want string
	}{
		{200, nil, "200"},
		{503, nil, "503"},
		{0, context.DeadlineExceeded, "timeout"},
		{0, timeoutError{}, "timeout"},
		{0, errors.New("dial tcp: connect: connection refused"), "refused"},
		{0, errors.New("read: connection reset by peer"), "reset"},
	}
	for _, tt := range tests {
		if got := statusOf(tt.code, tt.err); got != tt.want {
			t.Errorf("statusOf(%d, %v) = %q, want %q", tt.code, tt.err, got, tt.want)
		}
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond} {
		if got := percentile(d, p); got != want {
			t.Errorf("p%.0f = %s, want %s", p, got, want)
		}
	}
	if got := percentile(d[:1], 99); got != time.Millisecond {
		t.Errorf("p99 of one = %s", got)
	}
}

func TestReadRSS(t *testing.T) {
	s, err := readRSS(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if s.rss <= 0 || s.anon <= 0 || s.rss < s.anon {
		t.Errorf("implausible memory of the test process: %+v", s)
	}
	if _, err := readRSS(1 << 30); err == nil {
		t.Error("no error for a process that does not exist")
	}
}

func TestOwnPage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct{ pages, readers int }{{20000, 4}, {10, 3}, {7, 7}, {5, 1}, {2, 4}} {
		seen := map[int]bool{}
		for n := range c.readers {
			for range 2000 {
				p := ownPage(rng, c.pages, c.readers, n)
				if p < 0 || p >= c.pages {
					t.Fatalf("%+v reader %d: page %d out of range", c, n, p)
				}
				if c.readers > 1 && c.pages >= c.readers && p%c.readers != n {
					t.Fatalf("%+v reader %d: page %d is another reader's", c, n, p)
				}
				seen[p] = true
			}
		}
		if c.pages <= 20 && len(seen) != c.pages {
			t.Errorf("%+v: %d pages reached of %d", c, len(seen), c.pages)
		}
	}
}
