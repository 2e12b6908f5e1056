package textdiff

import (
	"context"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// mergeSides returns the text of m with each region's Yours, and with
// each region's Theirs: what keeping mine or keeping theirs everywhere
// gives.
func mergeSides(m wiki.Merge) (mine, theirs string) {
	var y, t strings.Builder
	for _, p := range m.Parts {
		if p.Conflict == nil {
			y.WriteString(p.Text)
			t.WriteString(p.Text)
			continue
		}
		y.WriteString(p.Conflict.Yours)
		t.WriteString(p.Conflict.Theirs)
	}
	return y.String(), t.String()
}

// TestDiffer_MergeWords checks the merge by words on the French cases
// members meet: two sentences of one paragraph, elided articles and
// non-breaking spaces inside the changed words, two cells of one table
// row, a list reordered by one member and edited by the other.
func TestDiffer_MergeWords(t *testing.T) {
	const para = "# Bonne pratique\n\nLe cahier de textes s'ouvre le matin. Les parents le lisent le soir. L'équipe vérifie le vendredi.\n\nFin.\n"
	const nbsp = "Réunion\u00a0: mardi\u00a0; salle 12\u00a0! C’est l’ENT d’abord.\n"
	const table = "| Projet | Version | Statut |\n|---|---|---|\n| e-lyco | 2.4 | ouvert |\n| ENT-MIP | 2.3 | résolu |\n"
	const list = "Étapes\u00a0:\n\n- ouvrir l'ENT\n- saisir l'identifiant\n- valider\n- se déconnecter\n"
	cases := []struct {
		name, base, mine, theirs, want string
	}{
		{"different sentences of one paragraph", para,
			strings.Replace(para, "le matin", "dès 8 h", 1),
			strings.Replace(para, "le vendredi", "chaque lundi", 1),
			strings.Replace(strings.Replace(para, "le matin", "dès 8 h", 1), "le vendredi", "chaque lundi", 1)},
		{"elided articles inside the changed words", para,
			strings.Replace(para, "s'ouvre", "s'affiche", 1),
			strings.Replace(para, "L'équipe", "L'administrateur", 1),
			strings.Replace(strings.Replace(para, "s'ouvre", "s'affiche", 1), "L'équipe", "L'administrateur", 1)},
		{"non-breaking spaces and typographic apostrophes", nbsp,
			strings.Replace(nbsp, "mardi\u00a0;", "jeudi\u00a0;", 1),
			strings.Replace(nbsp, "l’ENT d’abord", "l’ENT d’emblée", 1),
			"Réunion\u00a0: jeudi\u00a0; salle 12\u00a0! C’est l’ENT d’emblée.\n"},
		{"two cells of one table row", table,
			strings.Replace(table, "| 2.4 |", "| 2.5 |", 1),
			strings.Replace(table, "| ouvert |", "| contourné |", 1),
			strings.Replace(strings.Replace(table, "| 2.4 |", "| 2.5 |", 1), "| ouvert |", "| contourné |", 1)},
		{"a list reordered by one and edited by the other", list,
			"Étapes\u00a0:\n\n- se déconnecter\n- ouvrir l'ENT\n- saisir l'identifiant\n- valider\n",
			strings.Replace(list, "saisir l'identifiant", "saisir l'identifiant ÉduConnect", 1),
			"Étapes\u00a0:\n\n- se déconnecter\n- ouvrir l'ENT\n- saisir l'identifiant ÉduConnect\n- valider\n"},
		{"two items of one list line", "Projets : e-lyco, ENT-MIP, eCollège 31.\n",
			"Projets : e-lyco (Nantes), ENT-MIP, eCollège 31.\n",
			"Projets : e-lyco, ENT-MIP, eCollège 31, Cyber collèges 42.\n",
			"Projets : e-lyco (Nantes), ENT-MIP, eCollège 31, Cyber collèges 42.\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := New().Merge(context.Background(), c.base, c.mine, c.theirs)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(m.Conflicts()); n > 0 {
				t.Fatalf("%d conflicts: %+v", n, m.Conflicts())
			}
			if got := m.Markdown(2); got != c.want {
				t.Errorf("merged\n%q\nwant\n%q", got, c.want)
			}
		})
	}
}

// TestDiffer_MergeWordsConflict checks that only changes to the same words
// conflict, and that each side of a region holds every change that does
// not conflict.
func TestDiffer_MergeWordsConflict(t *testing.T) {
	const base = "Intro.\n\nLe chat dort sur le tapis. Il rêve.\n\nFin.\n"
	cases := []struct {
		name, mine, theirs string
		yours, theirsSide  string
	}{
		{"the same word changed two ways",
			"Intro.\n\nLe chien dort sur le tapis. Il rêve.\n\nFin.\n",
			"Intro.\n\nLe félin mange sur le tapis. Il rêve.\n\nFin.\n",
			"Le chien mange sur le tapis. Il rêve.\n", "Le félin mange sur le tapis. Il rêve.\n"},
		{"a word and its elided article",
			"Intro.\n\nLe chat dort sur l'édredon. Il rêve.\n\nFin.\n",
			"Intro.\n\nLe chat dort sur le tapis rouge. Il rêve encore.\n\nFin.\n",
			"Le chat dort sur l'édredon. Il rêve encore.\n", "Le chat dort sur le tapis rouge. Il rêve encore.\n"},
		{"a word and words written just before it",
			"Intro.\n\nLe chat dort sur le grand tapis. Il rêve.\n\nFin.\n",
			"Intro.\n\nLe chat dort sur le\u00a0tapis. Il rêve.\n\nFin.\n",
			"Le chat dort sur le grand tapis. Il rêve.\n", "Le chat dort sur le\u00a0tapis. Il rêve.\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := New().Merge(context.Background(), base, c.mine, c.theirs)
			if err != nil {
				t.Fatal(err)
			}
			rs := m.Conflicts()
			if len(rs) != 1 {
				t.Fatalf("%d conflicts, want 1: %+v", len(rs), rs)
			}
			if rs[0].Base != "Le chat dort sur le tapis. Il rêve.\n" || rs[0].Yours != c.yours || rs[0].Theirs != c.theirsSide {
				t.Errorf("region = %q / %q / %q\nwant yours %q, theirs %q", rs[0].Base, rs[0].Yours, rs[0].Theirs, c.yours, c.theirsSide)
			}
			if !strings.HasPrefix(m.Parts[0].Text, "Intro.\n\n") || m.Parts[len(m.Parts)-1].Text != "\nFin.\n" {
				t.Errorf("the text around the region is not merged: %+v", m.Parts)
			}
		})
	}
}

// TestDiffer_MergeWordsBounds checks that past its bounds the merge by
// words gives up and the passage conflicts by lines, whole, as before.
func TestDiffer_MergeWordsBounds(t *testing.T) {
	long := strings.Repeat("mot ", MaxMergeRegionTokens) + "fin.\n"
	mine := strings.Replace(long, "mot", "premier", 1)
	theirs := strings.Replace(long, "fin.", "dernier.", 1)
	m, err := New().Merge(context.Background(), long, mine, theirs)
	if err != nil {
		t.Fatal(err)
	}
	rs := m.Conflicts()
	if len(rs) != 1 || rs[0].Base != long || rs[0].Yours != mine || rs[0].Theirs != theirs {
		t.Fatalf("a paragraph past the bound should conflict whole, got %d regions", len(rs))
	}
	short := "un deux trois.\n"
	m, err = New().Merge(context.Background(), short, "UN deux trois.\n", "un deux TROIS.\n")
	if err != nil || len(m.Conflicts()) != 0 {
		t.Fatalf("within the bound: %v, %+v", err, m.Conflicts())
	}
	// A long passage does not keep the next short one from merging.
	both := long + "\n" + short
	m, err = New().Merge(context.Background(), both, mine+"\nUN deux trois.\n", theirs+"\nun deux TROIS.\n")
	if err != nil || len(m.Conflicts()) != 1 || !strings.HasSuffix(m.Markdown(1), "\nUN deux TROIS.\n") {
		t.Fatalf("after a long passage: %v, %d regions, %q", err, len(m.Conflicts()), m.Markdown(1)[len(m.Markdown(1))-40:])
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New().Merge(ctx, short, "UN deux trois.\n", "un deux TROIS.\n"); err == nil {
		t.Errorf("a merge with an ended context answers no error")
	}
}

func FuzzDiffer_MergeWords(f *testing.F) {
	f.Add("Le chat dort. Il rêve.", "Le chien dort. Il rêve.", "Le chat dort. Il mange.")
	f.Add("l'école d'abord", "l'établissement d'abord", "l'école d’emblée")
	f.Add("| a | b |", "| x | b |", "| a | y |")
	f.Add("a\u00a0: b", "a\u00a0: c", "d\u00a0: b")
	f.Fuzz(func(t *testing.T, base, mine, theirs string) {
		d := New()
		ctx := context.Background()
		m, err := d.Merge(ctx, base, mine, theirs)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range m.Conflicts() {
			if r.Yours == r.Theirs {
				t.Fatalf("a region whose sides agree: %+v", r)
			}
		}
		rev, err := d.Merge(ctx, base, theirs, mine)
		if err != nil {
			t.Fatal(err)
		}
		y, th := mergeSides(m)
		ry, rth := mergeSides(rev)
		if len(m.Conflicts()) != len(rev.Conflicts()) || y != rth || th != ry {
			t.Fatalf("merge is not symmetric:\n%q %q\n%q %q", y, th, ry, rth)
		}
		if len(m.Conflicts()) == 0 && (mine == base && y != theirs || theirs == base && y != mine) {
			t.Fatalf("one side unchanged: merged %q", y)
		}
	})
}
