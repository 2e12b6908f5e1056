// Command history measures what a page's history costs: how much 1,000
// one-paragraph edits of a 20 KB French page grow the data file, and how
// long reading each of the 1,001 revisions takes, cold (first read after
// opening the file) and warm.
//
//	go run ./bench/history -corpus ../shared/corpus
//
// The page is made at run time from sentences of the corpus's .md files
// (or generated French when the folder is missing); each edit replaces one
// sentence of one paragraph. Every revision read is checked against the
// text that was saved.
package main

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/kdecole-club/clubwiki/bench/prose"
	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

const page = "usages/historique"

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "folder of .md files to take sentences from (generated French when missing)")
	edits := flag.Int("edits", 1000, "one-paragraph edits to save")
	pageBytes := flag.Int("page-bytes", 20<<10, "size of the page")
	passes := flag.Int("passes", 5, "warm passes over every revision")
	flag.Parse()
	if err := run(*corpus, *edits, *pageBytes, *passes); err != nil {
		log.Fatal(err)
	}
}

func run(corpus string, edits, pageBytes, passes int) error {
	sentences, err := prose.Sentences(corpus)
	source := corpus
	if err != nil {
		sentences, source = prose.Generated(4000, 11), "generated French ("+err.Error()+")"
	}
	h := prose.NewHistory(sentences, pageBytes, 11)
	texts := []string{h.Text()}
	for range edits {
		texts = append(texts, h.Edit())
	}
	fmt.Printf("page: %d bytes from %s, %d one-paragraph edits\n", len(texts[0]), source, edits)
	dir, err := os.MkdirTemp("", "clubwiki-history-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "clubwiki.db")
	if err := save(path, texts); err != nil {
		return err
	}
	return readAll(path, texts, passes)
}

// save commits the first text, measures the file, commits the others and
// prints the growth.
func save(path string, texts []string) error {
	before, err := commit(path, texts[:1], 0)
	if err != nil {
		return err
	}
	after, err := commit(path, texts[1:], 1)
	if err != nil {
		return err
	}
	fmt.Printf("data file growth for %d edits: %d bytes on disk, %d bytes of bbolt pages (high-water mark)\n",
		len(texts)-1, after.file-before.file, after.used-before.used)
	return nil
}

type size struct{ file, used int64 }

// commit opens the file, saves texts on top of revision from, closes it
// and returns its size.
func commit(path string, texts []string, from int) (size, error) {
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		return size{}, err
	}
	p := wiki.MustPath(page)
	for i, text := range texts {
		kind := wiki.KindEdit
		if from+i == 0 {
			kind = wiki.KindCreate
		}
		c := wiki.Commit{Path: p, ExpectRev: from + i, Kind: kind, Author: "banc", Summary: "un paragraphe", Markdown: text}
		if _, err := db.Commit(context.Background(), c); err != nil {
			_ = db.Close()
			return size{}, err
		}
	}
	if err := db.Close(); err != nil {
		return size{}, err
	}
	return measure(path)
}

func measure(path string) (size, error) {
	st, err := os.Stat(path)
	if err != nil {
		return size{}, err
	}
	raw, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		return size{}, err
	}
	defer raw.Close()
	s := size{file: st.Size()}
	err = raw.View(func(tx *bolt.Tx) error {
		s.used = tx.Size()
		return nil
	})
	return s, err
}

// readAll reads every revision once cold, then passes times warm, checking
// each text, and prints the percentiles of wall-clock time and of the CPU
// time of the reading thread.
func readAll(path string, texts []string, passes int) error {
	db, err := store.Open(path, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	runtime.LockOSThread() // so that the thread's CPU time is the reads'
	defer runtime.UnlockOSThread()
	cold, coldCPU, err := readEvery(db, texts)
	if err != nil {
		return err
	}
	var warm, warmCPU []time.Duration
	for range passes {
		lat, cpu, err := readEvery(db, texts)
		if err != nil {
			return err
		}
		warm, warmCPU = append(warm, lat...), append(warmCPU, cpu...)
	}
	fmt.Printf("revision reads (%d revisions, wall clock): cold p50 %s p99 %s max %s; warm p50 %s p99 %s max %s (%d passes)\n",
		len(texts), pct(cold, 0.5), pct(cold, 0.99), pct(cold, 1), pct(warm, 0.5), pct(warm, 0.99), pct(warm, 1), passes)
	fmt.Printf("revision reads (CPU time of the reading thread): cold p50 %s p99 %s max %s; warm p50 %s p99 %s max %s\n",
		pct(coldCPU, 0.5), pct(coldCPU, 0.99), pct(coldCPU, 1), pct(warmCPU, 0.5), pct(warmCPU, 0.99), pct(warmCPU, 1))
	return nil
}

// readEvery reads every revision in a shuffled but fixed order and returns
// each read's wall-clock and CPU time by revision number, less one.
func readEvery(db *store.DB, texts []string) (wall, cpu []time.Duration, err error) {
	p := wiki.MustPath(page)
	wall, cpu = make([]time.Duration, len(texts)), make([]time.Duration, len(texts))
	for i := range texts {
		rev := 1 + (i*7919)%len(texts) // 7919 is prime: every revision once
		start, startCPU := time.Now(), threadCPU()
		r, text, err := db.Revision(context.Background(), p, rev)
		wall[rev-1], cpu[rev-1] = time.Since(start), threadCPU()-startCPU
		if err != nil {
			return nil, nil, err
		}
		if text != texts[rev-1] || r.SHA256 != sha256.Sum256([]byte(text)) {
			return nil, nil, fmt.Errorf("revision %d does not read back as saved", rev)
		}
	}
	return wall, cpu, nil
}

func pct(lat []time.Duration, q float64) time.Duration {
	s := slices.Clone(lat)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))].Round(time.Microsecond)
}
