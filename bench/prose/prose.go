// Package prose reads prose from a folder of French Markdown (the shared
// corpus next to the repository) for the benchmark programs. The corpus is
// read at run time and never copied into the repository.
package prose

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Sentences reads the prose sentences of every .md file under dir: lines
// that are not headings, code, tables, lists of links or front matter, cut
// at sentence ends. Fewer than 100 sentences is an error: dir is not the
// corpus.
func Sentences(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(name) != ".md" {
			return err
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(b), "\n") {
			out = append(out, lineSentences(line)...)
		}
		return nil
	})
	if err == nil && len(out) < 100 {
		err = fmt.Errorf("only %d sentences under %s: is it the corpus?", len(out), dir)
	}
	return out, err
}

// lineSentences returns the sentences of one line of prose, none for a
// line of Markdown syntax or a short one.
func lineSentences(line string) []string {
	line = strings.TrimSpace(line)
	if len(line) < 40 || strings.ContainsAny(line[:1], "#|`<[!-*>{") || strings.Contains(line, "](") {
		return nil
	}
	var out []string
	for _, s := range strings.SplitAfter(line, ". ") {
		if s = strings.TrimSpace(s); len(s) >= 30 {
			out = append(out, s)
		}
	}
	return out
}
