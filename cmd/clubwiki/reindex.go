package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/search"
)

// cmdReindex rebuilds the search index from the store, offline: the store's
// lock keeps a running server from being changed under it.
func cmdReindex(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := newFlags("reindex", &c)
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	a, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	n, err := search.Reindex(ctx, filepath.Join(a.data, indexDir), a.db, render.New(render.Options{}))
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	took := time.Since(start)
	fmt.Fprintf(stdout, "reindexed %d pages in %s (%.0f pages/s)\n", n, took.Round(time.Millisecond), float64(n)/took.Seconds())
	return nil
}
