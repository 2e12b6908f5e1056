package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/kdecole-club/clubwiki/search"
)

// cmdReindex rebuilds the search index from the store, offline: the store's
// lock keeps a running server from being changed under it.
func cmdReindex(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	a, _, err := parseAndOpen(ctx, newFlags("reindex", &c), &c, args, 0)
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	n, err := search.Reindex(ctx, filepath.Join(a.data, indexDir), a.db, a.render)
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	took := time.Since(start)
	fmt.Fprintf(stdout, "reindexed %d pages in %s (%.0f pages/s)\n", n, took.Round(time.Millisecond), float64(n)/took.Seconds())
	return nil
}
