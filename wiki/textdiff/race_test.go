//go:build race

package textdiff

// slowdown is how many times slower the race detector makes this package's
// code: hang limits of tests catch hangs, not slowness.
const slowdown = 8
