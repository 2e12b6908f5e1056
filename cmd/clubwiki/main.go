// Command clubwiki runs the clubwiki wiki server and its administration
// commands. Run "clubwiki help" for the list.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes, as CONTRACT.md fixes them.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const usage = `clubwiki — the k-d'école users' club wiki

Usage:
  clubwiki serve [--addr 127.0.0.1:8080] [--data ./clubwiki-data] [--max-page-bytes N] [--max-file-bytes N] [--behind-proxy [--trusted-proxies N]] [--memory-limit 64MiB] [--cache-size 8MiB]
  clubwiki user add LOGIN [--name N] [--email E] [--role reader|editor|admin] [--groups g1,g2] [--password-stdin]
  clubwiki user passwd LOGIN [--password-stdin]
  clubwiki user set LOGIN [--role R] [--groups g1,g2] [--disabled=true|false]
  clubwiki group add NAME [--title T]
  clubwiki group list
  clubwiki ns rules KEY [--read all|G1,G2] [--edit all|G1,G2]
  clubwiki token create LOGIN [--label L]
  clubwiki import DIR [--ns NS] [--as LOGIN]
  clubwiki export DIR
  clubwiki reindex
  clubwiki check [--accept-rollback]

Every command takes --data (or CLUBWIKI_DATA); serve takes --addr (or CLUBWIKI_ADDR).
ns rules: "all" lets every member in; admins are never shut out; a reader
never edits. A new wiki keeps marches to the ENT projects' and academies'
groups; every other namespace is open.
`

// run is main without the process: it returns the exit code, so that tests
// can call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdin, stdout, stderr)
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "clubwiki: %s\n\n%s", ue.msg, usage)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "clubwiki: %s\n", message(err))
		return exitFail
	}
}

func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("missing command")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stderr)
	case "user":
		if len(rest) == 0 {
			return usagef("user: missing subcommand (add, passwd or set)")
		}
		switch rest[0] {
		case "add":
			return cmdUserAdd(ctx, rest[1:], stdin, stdout)
		case "passwd":
			return cmdUserPasswd(ctx, rest[1:], stdin, stdout)
		case "set":
			return cmdUserSet(ctx, rest[1:], stdout)
		}
		return usagef("user: unknown subcommand %q", rest[0])
	case "group":
		switch {
		case len(rest) > 0 && rest[0] == "add":
			return cmdGroupAdd(ctx, rest[1:])
		case len(rest) > 0 && rest[0] == "list":
			return cmdGroupList(ctx, rest[1:], stdout)
		}
		return usagef("group: the subcommands are add and list")
	case "ns":
		if len(rest) == 0 || rest[0] != "rules" {
			return usagef("ns: the subcommand is rules")
		}
		return cmdNsRules(ctx, rest[1:], stdout)
	case "token":
		if len(rest) == 0 || rest[0] != "create" {
			return usagef("token: the subcommand is create")
		}
		return cmdTokenCreate(ctx, rest[1:], stdout)
	case "import":
		return cmdImport(ctx, rest, stdout, stderr)
	case "export":
		return cmdExport(ctx, rest, stdout, stderr)
	case "reindex":
		return cmdReindex(ctx, rest, stdout)
	case "check":
		return cmdCheck(ctx, rest, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usagef("unknown command %q", cmd)
}
