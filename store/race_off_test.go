//go:build !race

package store_test

import "testing"

// skipUnderRace skips a test under -race (see race_on_test.go).
func skipUnderRace(*testing.T) {}
