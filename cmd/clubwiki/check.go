package main

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// errDamaged makes check exit 1 after its report.
var errDamaged = errors.New("the store is damaged: see the report above")

func cmdCheck(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := newFlags("check", &c)
	fs.BoolVar(&c.AcceptRollback, "accept-rollback", false, "open a store with a damaged header at its previous save (the last one is lost), then check it")
	a, _, err := parseAndOpen(ctx, fs, &c, args, 0)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.db.Check(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "pages: %d\nrevisions: %d\nchanges: %d\n", rep.Pages, rep.Revisions, rep.Changes)
	if rep.OK() {
		fmt.Fprintln(stdout, "ok")
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, "damage:", p)
	}
	if rep.More > 0 {
		fmt.Fprintf(stdout, "damage: %d more problems not listed\n", rep.More)
	}
	return errDamaged
}
