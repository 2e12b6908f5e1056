package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// optBool is a boolean flag that remembers whether it was given:
// --disabled, --disabled=true and --disabled=false all are.
type optBool struct{ set, v bool }

func (b *optBool) String() string   { return strconv.FormatBool(b.v) }
func (b *optBool) IsBoolFlag() bool { return true }
func (b *optBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false, not %q", s)
	}
	b.set, b.v = true, v
	return nil
}

// given reports whether the flag name was on the command line.
func given(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// cmdGroupAdd creates a group, or changes its title.
func cmdGroupAdd(ctx context.Context, args []string) error {
	var c config
	fs := newFlags("group add", &c)
	title := fs.String("title", "", "what people read (default: the name)")
	a, pos, err := parseAndOpen(ctx, fs, &c, args, 1)
	if err != nil {
		return err
	}
	defer a.Close()
	t := *title
	if t == "" {
		t = pos[0]
	}
	return a.svc.PutGroup(ctx, wiki.System(), wiki.Group{Name: pos[0], Title: t})
}

// cmdGroupList prints the groups, one a line: name, tab, title.
func cmdGroupList(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	a, _, err := parseAndOpen(ctx, newFlags("group list", &c), &c, args, 0)
	if err != nil {
		return err
	}
	defer a.Close()
	groups, err := a.svc.Groups(ctx, wiki.System())
	if err != nil {
		return err
	}
	for _, g := range groups {
		fmt.Fprintf(stdout, "%s\t%s\n", g.Name, g.Title)
	}
	return nil
}

// cmdUserSet changes a member's role, groups or state and prints them.
func cmdUserSet(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := newFlags("user set", &c)
	role := fs.String("role", "", "reader, editor or admin")
	groups := fs.String("groups", "", `the member's groups, comma-separated ("" for none)`)
	var disabled optBool
	fs.Var(&disabled, "disabled", "true: the member can no longer sign in; false: they can again")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	var ch wiki.MemberChange
	if given(fs, "role") {
		r := wiki.Role(*role)
		if !r.Valid() {
			return usagef("user set: unknown role %q (reader, editor or admin)", *role)
		}
		ch.Role = &r
	}
	if given(fs, "groups") {
		ch.Groups = wiki.ParseGroups(*groups)
		if ch.Groups == nil {
			ch.Groups = []string{}
		}
	}
	if disabled.set {
		ch.Disabled = &disabled.v
	}
	if ch.Role == nil && ch.Groups == nil && ch.Disabled == nil {
		return usagef("user set: give --role, --groups or --disabled")
	}
	a, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.svc.UpdateMember(ctx, wiki.System(), pos[0], ch)
	if err != nil {
		return err
	}
	printMember(stdout, u)
	return nil
}

func printMember(w io.Writer, u wiki.User) {
	state := "active"
	if u.Disabled {
		state = "disabled"
	}
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Login, u.Role, strings.Join(u.Groups, ","), state)
}

// cmdNsRules sets who reads and who edits a namespace ("all" or groups)
// and prints its rules; without --read and --edit it only prints them.
func cmdNsRules(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := newFlags("ns rules", &c)
	read := fs.String("read", "", `who reads: "all" or groups, comma-separated`)
	edit := fs.String("edit", "", `who edits: "all" or groups, comma-separated`)
	a, pos, err := parseAndOpen(ctx, fs, &c, args, 1)
	if err != nil {
		return err
	}
	defer a.Close()
	key := pos[0]
	r, err := a.svc.NamespaceRules(ctx, wiki.System(), key)
	if err != nil {
		return err
	}
	if given(fs, "read") || given(fs, "edit") {
		if given(fs, "read") {
			r.Read = orNone(wiki.ParseRule(*read))
		}
		if given(fs, "edit") {
			r.Edit = orNone(wiki.ParseRule(*edit))
		}
		if r, err = a.svc.SetNamespaceRules(ctx, wiki.System(), key, r); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "%s\tread=%s\tedit=%s\n", key, r.Read, r.Edit)
	return nil
}

// orNone makes an empty rule ("" on the command line: admins only) one.
func orNone(r wiki.Rule) wiki.Rule {
	if r == nil {
		return wiki.Rule{}
	}
	return r
}
