//go:build race

package render_test

// race is true under the race detector, which makes code several times
// slower and, by emptying sync.Pools at random, allocate much more: time and
// memory bounds of tests are for normal builds.
const race = true
