package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kdecole-club/clubwiki/wiki"
)

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	a, pos, err := parseAndOpen(ctx, newFlags("export", &c), &c, args, 1)
	if err != nil {
		return err
	}
	defer a.Close()
	dir := pos[0]
	sys := wiki.System()
	n := 0
	for offset := 0; ; {
		heads, total, err := a.svc.Pages(ctx, sys, "", 500, offset)
		if err != nil {
			return err
		}
		for _, h := range heads {
			pv, err := a.svc.Page(ctx, sys, h.Path, h.Rev)
			if err != nil {
				return err
			}
			// Canonical paths hold only a-z, 0-9, '-' and '/': safe as
			// file names, no "..".
			name := filepath.Join(dir, filepath.FromSlash(h.Path.String())+".md")
			if err := os.MkdirAll(filepath.Dir(name), 0o750); err != nil {
				return err
			}
			if err := os.WriteFile(name, []byte(pv.Markdown), 0o640); err != nil {
				return err
			}
			fmt.Fprintln(stdout, h.Path)
			n++
		}
		offset += len(heads)
		if len(heads) == 0 || offset >= total {
			break
		}
	}
	fmt.Fprintf(stderr, "exported %d pages to %s\n", n, dir)
	return nil
}
