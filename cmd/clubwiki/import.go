package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// importChunk is how many files go to the store in one transaction, and
// importChunkBytes how much text at most: 500 files at the page size limit
// would otherwise hold a gigabyte in memory.
const (
	importChunk      = 500
	importChunkBytes = 32 << 20
)

// importTally counts what an import did.
type importTally struct{ created, updated, unchanged, skipped int }

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("import", &c)
	ns := fs.String("ns", "", "namespace of the imported pages (default: the first folder of each file)")
	as := fs.String("as", wiki.SystemAuthor, "login of the author of the imported revisions")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	// The folder named may itself be a link; links inside it are not
	// followed (walk).
	dir, err := filepath.EvalSymlinks(pos[0])
	if st, serr := os.Stat(dir); err != nil || serr != nil || !st.IsDir() {
		return fmt.Errorf("import: %s is not a folder", pos[0])
	}
	a, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer a.Close()
	actor, err := importActor(ctx, a.svc, *as)
	if err != nil {
		return err
	}
	if *ns != "" && !a.svc.IsNamespace(wiki.Canonical(*ns)) {
		return fmt.Errorf("import: unknown namespace %q", *ns)
	}
	start := time.Now()
	imp := &importer{svc: a.svc, actor: actor, ns: wiki.Canonical(*ns), max: c.MaxPageBytes,
		chunkFiles: importChunk, chunkBytes: importChunkBytes,
		seen: map[string]string{}, stdout: stdout, stderr: stderr}
	if err := imp.walk(ctx, dir); err != nil {
		if ctx.Err() != nil {
			// SIGINT or SIGTERM: what was imported before stays.
			return fmt.Errorf("import: interrupted; %d pages were imported before", imp.tally.created+imp.tally.updated)
		}
		return err
	}
	t := imp.tally
	took := time.Since(start)
	fmt.Fprintf(stderr, "imported %d pages (%d created, %d updated), %d unchanged, %d skipped, in %s (%.0f files/s)\n",
		t.created+t.updated, t.created, t.updated, t.unchanged, t.skipped, took.Round(time.Millisecond),
		float64(t.created+t.updated+t.unchanged+t.skipped)/took.Seconds())
	// Exit 1 only when files were there and none is in the wiki now; a
	// second run over a tree with a few bad files still succeeds.
	if t.created+t.updated+t.unchanged == 0 && t.skipped > 0 {
		return errors.New("import: nothing could be imported")
	}
	return nil
}

// importActor is the author of the import: the system author by default,
// else an existing user.
func importActor(ctx context.Context, svc *wiki.Service, login string) (*wiki.User, error) {
	if login == wiki.SystemAuthor {
		return wiki.System(), nil
	}
	u, err := svc.User(ctx, login)
	if wiki.ErrorCode(err) == wiki.ENotFound {
		return nil, fmt.Errorf("import: no user %q (create it with clubwiki user add)", login)
	}
	return &u, err
}

// importer walks a tree and imports it in chunks.
type importer struct {
	svc   *wiki.Service
	actor *wiki.User
	ns    string // "" when the first folder is the namespace
	max   int
	seen  map[string]string // canonical path → first file with it
	chunk []wiki.ImportFile
	// chunkFiles and chunkBytes bound a chunk: it is imported as soon as
	// it reaches either; inBytes is the text it holds.
	chunkFiles, chunkBytes, inBytes int
	flushes                         int // chunks imported, for tests
	tally                           importTally
	stdout                          io.Writer
	stderr                          io.Writer
}

// walk imports the files under dir. WalkDir reports each entry as its
// folder lists it, without following links: a link to a file or a folder
// is reported as skipped, as is every other file that is not regular.
func (im *importer) walk(ctx context.Context, dir string) error {
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			im.skip(name, err.Error())
			return nil
		}
		if d.IsDir() && name != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir // .git and the like
		}
		rel, _ := filepath.Rel(dir, name)
		isMD := strings.EqualFold(filepath.Ext(name), ".md")
		if why := notRegular(d.Type()); !d.IsDir() && why != "" {
			if isMD || d.Type()&fs.ModeSymlink != 0 {
				im.skip(rel, why)
			}
			return nil
		}
		if d.IsDir() || !isMD {
			return nil
		}
		im.add(rel, name)
		if len(im.chunk) >= im.chunkFiles || im.inBytes >= im.chunkBytes {
			return im.flush(ctx)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return im.flush(ctx)
}

// add reads one file into the current chunk, or reports why it is skipped.
func (im *importer) add(rel, name string) {
	raw := filepath.ToSlash(strings.TrimSuffix(rel, filepath.Ext(rel)))
	if im.ns != "" {
		raw = im.ns + "/" + raw
	}
	key := wiki.Canonical(raw)
	if first, dup := im.seen[key]; dup {
		im.skip(rel, "same page path as "+first)
		return
	}
	b, why := readRegular(name, im.max)
	if why != "" {
		im.skip(rel, why)
		return
	}
	im.seen[key] = rel
	im.chunk = append(im.chunk, wiki.ImportFile{Name: rel, Path: raw, Markdown: b})
	im.inBytes += len(b)
}

func (im *importer) skip(rel, why string) {
	im.tally.skipped++
	fmt.Fprintf(im.stderr, "skipped %s: %s\n", rel, why)
}

// flush imports the current chunk and reports each file.
func (im *importer) flush(ctx context.Context) error {
	if len(im.chunk) == 0 {
		return nil
	}
	res, err := im.svc.Import(ctx, im.actor, im.chunk)
	clear(im.chunk) // let the texts go
	im.chunk, im.inBytes = im.chunk[:0], 0
	im.flushes++
	if err != nil {
		return err
	}
	for _, r := range res {
		switch r.Status {
		case wiki.ImportCreated, wiki.ImportUpdated:
			if r.Status == wiki.ImportCreated {
				im.tally.created++
			} else {
				im.tally.updated++
			}
			fmt.Fprintf(im.stdout, "%s %s rev %d (%s)\n", r.Status, r.Path, r.Rev, r.File.Name)
		case wiki.ImportUnchanged:
			im.tally.unchanged++
		default:
			im.skip(r.File.Name, r.Reason)
		}
	}
	return nil
}
