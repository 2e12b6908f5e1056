//go:build !linux

package mapped

func release([]string) error { return nil }

func releaseRange(uintptr, uintptr) error { return nil }

func writeBack([]string) {}

func resident(func(string) bool) (int64, error) { return 0, nil }

func pageExecutable() error { return nil }
