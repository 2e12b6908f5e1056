//go:build !race

package render_test

// race is true under the race detector (see race_test.go).
const race = false
