package textdiff

import (
	"testing"

	"github.com/kdecole-club/clubwiki/internal/testgc"
)

// TestMain runs the package's tests with the collector's pace of testgc.
func TestMain(m *testing.M) { testgc.Main(m) }
