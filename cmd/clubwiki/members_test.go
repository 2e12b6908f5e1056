package main

import (
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestRun_GroupAdd(t *testing.T) {
	data := t.TempDir()
	mustRun(t, "", "group", "add", "collectivites", "--title", "Collectivités", "--data", data)
	out := mustRun(t, "", "group", "list", "--data", data).stdout
	for _, want := range []string{"e-lyco\t", "cyber-colleges-42\t", "ecollege-31\t", "ent-mip\t", "admins\t", "academie-nantes\t", "collectivites\tCollectivités\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("group list lacks %q:\n%s", want, out)
		}
	}
	if r := runCLI(t, "", "group", "add", "Pas Bien", "--data", data); r.code != exitFail {
		t.Errorf("a bad group name: exit %d", r.code)
	}
}

func TestRun_UserSet(t *testing.T) {
	data := t.TempDir()
	mustRun(t, "", "user", "add", "bob", "--groups", "e-lyco, ent-mip", "--data", data)
	var u wiki.User
	var err error
	withService(t, data, func(svc *wiki.Service) { u, err = svc.User(t.Context(), "bob") })
	if err != nil || strings.Join(u.Groups, ",") != "e-lyco,ent-mip" {
		t.Fatalf("user add --groups: %+v, %v", u, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--role", "reader"}, "bob\treader\te-lyco,ent-mip\tactive\n"},
		{[]string{"--groups", "academie-nantes"}, "bob\treader\tacademie-nantes\tactive\n"},
		{[]string{"--disabled=true"}, "bob\treader\tacademie-nantes\tdisabled\n"},
		{[]string{"--disabled=false", "--groups", ""}, "bob\treader\t\tactive\n"},
		{[]string{"--disabled"}, "bob\treader\t\tdisabled\n"},
	} {
		r := mustRun(t, "", append(append([]string{"user", "set", "bob"}, c.args...), "--data", data)...)
		if r.stdout != c.want {
			t.Errorf("user set %v printed %q, want %q", c.args, r.stdout, c.want)
		}
	}
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"user", "set", "bob"}, exitUsage},
		{[]string{"user", "set", "bob", "--role", "chef"}, exitUsage},
		{[]string{"user", "set", "bob", "--disabled=peut-etre"}, exitUsage},
		{[]string{"user", "set", "bob", "--groups", "inconnu"}, exitFail},
		{[]string{"user", "set", "personne", "--role", "reader"}, exitFail},
		{[]string{"user", "add", "carl", "--groups", "inconnu"}, exitFail},
	} {
		if r := runCLI(t, "", append(c.args, "--data", data)...); r.code != c.code {
			t.Errorf("clubwiki %v: exit %d, want %d (%s)", c.args, r.code, c.code, r.stderr)
		}
	}
}

func TestRun_NsRules(t *testing.T) {
	data := t.TempDir()
	t.Run("a new wiki opens every namespace", func(t *testing.T) {
		out := mustRun(t, "", "ns", "rules", "marches", "--data", data).stdout
		if out != "marches\tread=all\tedit=all\n" {
			t.Errorf("ns rules marches = %q", out)
		}
		if out := mustRun(t, "", "ns", "rules", "usages", "--data", data).stdout; out != "usages\tread=all\tedit=all\n" {
			t.Errorf("ns rules usages = %q", out)
		}
	})
	t.Run("set", func(t *testing.T) {
		out := mustRun(t, "", "ns", "rules", "marches", "--read", "e-lyco,ent-mip", "--edit", "e-lyco", "--data", data).stdout
		if out != "marches\tread=e-lyco,ent-mip\tedit=e-lyco\n" {
			t.Errorf("ns rules printed %q", out)
		}
		out = mustRun(t, "", "ns", "rules", "marches", "--read", "all", "--data", data).stdout
		if out != "marches\tread=all\tedit=e-lyco\n" {
			t.Errorf("ns rules --read all printed %q", out)
		}
		withService(t, data, func(svc *wiki.Service) {
			editor := &wiki.User{Login: "x", Role: wiki.RoleEditor}
			if !svc.Can(editor, wiki.ActRead, wiki.MustPath("marches/a")) || svc.Can(editor, wiki.ActEdit, wiki.MustPath("marches/a")) {
				t.Error("the rules set by the command line are not the policy's")
			}
		})
	})
	t.Run("refused", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			code int
		}{
			{[]string{"ns", "rules", "nulle-part", "--read", "all"}, exitFail},
			{[]string{"ns", "rules", "marches", "--read", "inconnu"}, exitFail},
			{[]string{"ns", "rules"}, exitUsage},
			{[]string{"ns", "regles", "marches"}, exitUsage},
		} {
			if r := runCLI(t, "", append(c.args, "--data", data)...); r.code != c.code {
				t.Errorf("clubwiki %v: exit %d, want %d (%s)", c.args, r.code, c.code, r.stderr)
			}
		}
	})
}

// withService opens data, gives fn its service and closes it, so that
// later commands may open the folder.
func withService(t *testing.T, data string, fn func(*wiki.Service)) {
	t.Helper()
	a, err := openApp(t.Context(), config{Data: data, MaxPageBytes: wiki.DefaultMaxPageBytes})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	fn(a.svc)
}
