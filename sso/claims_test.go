package sso

import (
	"slices"
	"strings"
	"testing"
)

func TestGroupsOf(t *testing.T) {
	for _, c := range []struct {
		name string
		v    any
		want []string
	}{
		{"list", []any{"ent-lyco", "", 3, "profs"}, []string{"ent-lyco", "profs"}},
		{"one string", "ent-lyco, profs acad", []string{"ent-lyco", "profs", "acad"}},
		{"absent", nil, nil},
		{"other type", map[string]any{"a": 1}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := groupsOf(c.v); !slices.Equal(got, c.want) {
				t.Errorf("groupsOf = %q, want %q", got, c.want)
			}
		})
	}
	t.Run("bounded", func(t *testing.T) {
		if got := groupsOf(strings.Repeat("g ", 1000)); len(got) != maxGroups {
			t.Errorf("%d groups", len(got))
		}
	})
}

func TestDisplayName(t *testing.T) {
	for _, c := range [][4]string{
		{"Marie Blanchard", "Marie", "B.", "Marie Blanchard"},
		{"", "Marie", "Blanchard", "Marie Blanchard"},
		{" ", "", "Blanchard", "Blanchard"},
		{"", "", "", ""},
	} {
		if got := displayName(c[0], c[1], c[2]); got != c[3] {
			t.Errorf("displayName(%q, %q, %q) = %q, want %q", c[0], c[1], c[2], got, c[3])
		}
	}
}

func FuzzSealer_Open(f *testing.F) {
	s, err := newSealer()
	if err != nil {
		f.Fatal(err)
	}
	good, _ := s.seal(pending{State: "s", Next: "/"})
	f.Add(good)
	f.Add("")
	f.Add("AAAA")
	f.Fuzz(func(t *testing.T, v string) {
		p, err := s.open(v)
		if err == nil && v != good {
			t.Fatalf("open(%q) = %+v: a forged cookie opened", v, p)
		}
	})
}
