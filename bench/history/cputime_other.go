//go:build !linux

package main

import "time"

var start = time.Now()

// threadCPU falls back on the wall clock where no thread CPU clock is read.
func threadCPU() time.Duration { return time.Since(start) }
