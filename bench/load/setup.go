package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/bench/prose"
)

const (
	memberLogin      = "membre"
	memberPassword   = "banc-de-charge-membre"
	attackerLogin    = "intrus"
	attackerPassword = "banc-de-charge-intrus"
)

// env is a seeded data folder ready to serve.
type env struct {
	bin, data                  string
	memberToken, attackerToken string
}

// prepare builds clubwiki if needed and seeds a data folder in tmp: the
// pages (imported with the CLI, then indexed), the two big diff pages in
// two revisions, an editor for the member and a reader for the attackers
// (any signed-in reader may preview, search and diff).
func prepare(o options, tmp string) (env, error) {
	e := env{bin: o.bin, data: filepath.Join(tmp, "data")}
	var err error
	if e.bin == "" {
		if e.bin, err = buildClubwiki(tmp); err != nil {
			return e, err
		}
	}
	sentences, source, err := sentencesFor(o.corpus)
	if err != nil {
		return e, err
	}
	start := time.Now()
	seed1, seed2 := filepath.Join(tmp, "seed"), filepath.Join(tmp, "seed2")
	size, err := seedTree(seed1, seed2, o.pages, sentences)
	if err != nil {
		return e, err
	}
	for _, dir := range []string{seed1, seed2} {
		if _, err := cli(e.bin, e.data, "", "import", dir); err != nil {
			return e, err
		}
	}
	if _, err := cli(e.bin, e.data, "", "reindex"); err != nil {
		return e, err
	}
	fmt.Printf("seeded %d pages (%.1f MB of Markdown, sentences from %s) and 2 diff pages of 60,000 and 40,000 lines in %s\n",
		o.pages, float64(size)/1e6, source, time.Since(start).Round(100*time.Millisecond))
	if e.memberToken, err = user(e, memberLogin, memberPassword, "editor"); err != nil {
		return e, err
	}
	e.attackerToken, err = user(e, attackerLogin, attackerPassword, "reader")
	return e, err
}

// user creates a user with the CLI and returns an API token for it. The
// user is in a group that reads marches, which a new wiki keeps to some.
func user(e env, login, password, role string) (string, error) {
	if _, err := cli(e.bin, e.data, password+"\n", "user", "add", login, "--role", role, "--groups", "e-lyco", "--password-stdin"); err != nil {
		return "", err
	}
	return cli(e.bin, e.data, "", "token", "create", login, "--label", "banc de charge")
}

// sentencesFor reads the corpus the option names, or makes sentences.
func sentencesFor(corpus string) ([]string, string, error) {
	if corpus == "auto" {
		corpus = "none"
		if out, err := exec.Command("go", "env", "GOMOD").Output(); err == nil && strings.TrimSpace(string(out)) != "" {
			dir := filepath.Join(filepath.Dir(strings.TrimSpace(string(out))), "..", "shared", "corpus")
			if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
				corpus = filepath.Clean(dir)
			}
		}
	}
	if corpus == "none" {
		return syntheticSentences(5000), "the built-in generator", nil
	}
	s, err := prose.Sentences(corpus)
	return s, corpus, err
}
