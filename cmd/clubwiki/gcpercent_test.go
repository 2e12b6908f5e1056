package main

import (
	"runtime/debug"
	"testing"
)

// gcPercent reads the collector's pace without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

func TestSetMemoryLimit_GCPercent(t *testing.T) {
	before := gcPercent()
	t.Run("the default when GOGC is not set", func(t *testing.T) {
		t.Setenv("GOGC", "")
		restore := setMemoryLimit(defaultMemoryLimit, false)
		if got := gcPercent(); got != defaultGCPercent {
			t.Errorf("GC percent while serving = %d, want %d", got, defaultGCPercent)
		}
		restore()
		if got := gcPercent(); got != before {
			t.Errorf("GC percent after = %d, want the one before, %d", got, before)
		}
	})
	t.Run("GOGC is left alone", func(t *testing.T) {
		t.Setenv("GOGC", "100")
		debug.SetGCPercent(120) // as if the runtime had read another value
		defer debug.SetGCPercent(before)
		restore := setMemoryLimit(defaultMemoryLimit, true)
		defer restore()
		if got := gcPercent(); got != 120 {
			t.Errorf("GC percent = %d, want GOGC's pace kept (120)", got)
		}
	})
}
