// Package testgc sets the garbage collector's pace of a test binary.
//
// The packages' tests make thousands of short-lived wikis, indexes and
// answers and keep little of them; at the default pace, collecting was a
// sixth to a third of their CPU time. A test binary that calls Relax from
// its TestMain lets the heap grow four times past what is live rather than
// twice. What the tests check does not change: a bound on memory that a
// test measures only gets harder to meet with more garbage around.
package testgc

import (
	"flag"
	"os"
	"runtime/debug"
	"testing"
)

// Percent is the pace Relax sets.
const Percent = 400

// Relax sets the collector's pace to Percent, unless GOGC says otherwise
// or the binary runs benchmarks, some of which report the heap's peak. It
// must run after flag.Parse (TestMain calls it before m.Run).
func Relax() {
	if !flag.Parsed() {
		flag.Parse()
	}
	if os.Getenv("GOGC") != "" {
		return
	}
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		return
	}
	debug.SetGCPercent(Percent)
}

// Main is a TestMain that only relaxes the collector: Relax, then the
// tests.
func Main(m *testing.M) {
	Relax()
	os.Exit(m.Run())
}
