package main

import (
	"context"
	"fmt"
	"io"

	"github.com/kdecole-club/clubwiki/wiki"
)

func cmdUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	var c config
	fs := newFlags("user add", &c)
	name := fs.String("name", "", "display name")
	email := fs.String("email", "", "e-mail address")
	role := fs.String("role", string(wiki.RoleEditor), "reader, editor or admin")
	groups := fs.String("groups", "", "the member's groups, comma-separated")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	if !wiki.Role(*role).Valid() {
		return usagef("user add: unknown role %q (reader, editor or admin)", *role)
	}
	pw, generated, err := password(*fromStdin, stdin)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := a.svc.CreateUser(ctx, wiki.NewUser{Login: pos[0], Name: *name, Email: *email, Role: wiki.Role(*role), Password: pw,
		Groups: wiki.ParseGroups(*groups)}); err != nil {
		return err
	}
	if generated {
		fmt.Fprintln(stdout, pw)
	}
	return nil
}

func cmdUserPasswd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	var c config
	fs := newFlags("user passwd", &c)
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	pw, generated, err := password(*fromStdin, stdin)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.svc.SetPassword(ctx, pos[0], pw); err != nil {
		return err
	}
	if generated {
		fmt.Fprintln(stdout, pw)
	}
	return nil
}

// password reads the password from stdin or generates one.
func password(fromStdin bool, stdin io.Reader) (pw string, generated bool, err error) {
	if !fromStdin {
		return wiki.GeneratePassword(), true, nil
	}
	pw, err = readPassword(stdin)
	return pw, false, err
}

func cmdTokenCreate(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := newFlags("token create", &c)
	label := fs.String("label", "", "what the token is for")
	a, pos, err := parseAndOpen(ctx, fs, &c, args, 1)
	if err != nil {
		return err
	}
	defer a.Close()
	secret, _, err := a.svc.CreateToken(ctx, wiki.System(), pos[0], *label)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	return nil
}
