package store

// MinSpacing and MaxSpacing expose the bounds of the snapshot spacing to the
// black-box tests, which check that no delta chain is longer.
const (
	MinSpacing = minSpacing
	MaxSpacing = maxSpacing
)

// Spacing is the snapshot spacing of a page of size bytes.
func Spacing(size int) int { return spacing(size) }
