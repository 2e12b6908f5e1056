//go:build !race

package textdiff

// slowdown is how many times slower the build makes this package's code
// (see race_test.go).
const slowdown = 1
