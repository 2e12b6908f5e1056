//go:build race

package store_test

import "testing"

// skipUnderRace skips a test that hands bbolt damaged pages: under -race,
// checkptr turns some of bbolt's unsafe reads of a damaged page into a
// fatal error that no recover catches, where a build without it reports
// or panics (which Check recovers). The tests run without -race.
func skipUnderRace(t *testing.T) {
	t.Helper()
	t.Skip("checkptr (-race) makes bbolt's reads of some damaged pages fatal: run without -race")
}
