package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"path"

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
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	// Every write goes through root, which refuses any path that leaves
	// DIR, through a symbolic link included: a link planted in DIR can
	// neither redirect the export elsewhere nor have a file overwritten
	// behind it.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer root.Close()
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
			name := h.Path.String() + ".md"
			if err := writeInRoot(root, name, []byte(pv.Markdown)); err != nil {
				return fmt.Errorf("export: cannot write %s inside %s (does a symbolic link there lead outside it?): %w", name, dir, err)
			}
			fmt.Fprintln(stdout, h.Path)
			if err := exportFiles(ctx, a.svc, root, h.Path, stdout); err != nil {
				return fmt.Errorf("export: the attachments of %s: %w", h.Path, err)
			}
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

// writeInRoot writes data as the file name (slash-separated) inside root.
// It writes a new temporary file beside it and renames it into place: the
// rename replaces whatever is at name, a symbolic link included, and never
// writes through it; a reader never sees half a file.
func writeInRoot(root *os.Root, name string, data []byte) (err error) {
	return streamInRoot(root, name, bytes.NewReader(data))
}

// exportFiles writes the attachments of page p beside its Markdown, in
// "<page>.files/<name>", streamed from the store.
func exportFiles(ctx context.Context, svc *wiki.Service, root *os.Root, p wiki.Path, stdout io.Writer) error {
	files, err := svc.Files(ctx, wiki.System(), p)
	if err != nil {
		return err
	}
	for _, f := range files {
		_, body, err := svc.OpenFile(ctx, wiki.System(), p, f.Name, f.Rev)
		if err != nil {
			return err
		}
		// Valid attachment names are one segment without a leading dot.
		name := p.String() + ".files/" + f.Name
		err = streamInRoot(root, name, body)
		body.Close()
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, name)
	}
	return nil
}

// streamInRoot is writeInRoot reading the content from r.
func streamInRoot(root *os.Root, name string, r io.Reader) (err error) {
	if err := root.MkdirAll(path.Dir(name), 0o750); err != nil {
		return err
	}
	tmp := path.Join(path.Dir(name), "."+path.Base(name)+"."+rand.Text()[:8]+".tmp")
	// O_EXCL: a file, or a link, already there is an error, not a target.
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = root.Remove(tmp)
		}
	}()
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return root.Rename(tmp, name)
}
