package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// newTypedEnv is a small wiki of help pages, for queries typed the way
// members type them (issue 13).
func newTypedEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	for path, md := range map[string]string{
		"assistance/notifications":   "# Notifications aux parents\n\nLes parents reçoivent une notification à chaque absence saisie. Réglez l'envoi dans l'administration.\n",
		"assistance/telephone":       "# Téléphone du lycée\n\nLe standard répond au téléphone le matin.\n",
		"assistance/courriel":        "# Écrire aux élèves\n\nPour écrire un e-mail aux élèves, ouvrez la messagerie.\n",
		"assistance/adresse":         "# Adresse académique\n\nChaque élève a une adresse email académique.\n",
		"assistance/contact":         "# Réglages du contact\n\nL'adresse e mail de contact se règle ici.\n",
		"assistance/motcle":          "# Classer les pages\n\nAjoutez un motclé à la page.\n",
		"assistance/etiquettes":      "# Étiquettes\n\nChaque mot-clé classe la page.\n",
		"assistance/index":           "# Index\n\nUn mot clé par ligne.\n",
		"assistance/bavard":          "# Rien à dire\n\nComment faire plus ? Pourquoi ne pas faire plus ?\n",
		"assistance/identifiants":    "# Identifiants perdus\n\nUn élève qui a perdu ses identifiants demande un nouveau mot de passe.\n",
		"assistance/rappel-1":        "# Rappel des devoirs\n\nUn rappel part la veille de la réunion.\n",
		"assistance/rappel-2":        "# Rappel des réunions\n\nUn rappel part le lundi avant la réunion.\n",
		"assistance/rappel-3":        "# Rappel aux familles\n\nLe rappel de la réunion.\n",
		"assistance/rappel-4":        "# Rappel du conseil\n\nLe rappel de la réunion du conseil de classe.\n",
		"assistance/rapel":           "# Note\n\nUne réunon mal écrite.\n",
		"assistance/reunion-parents": "# Réunion\n\nLa réunion des parents a lieu en octobre.\n",
	} {
		e.save(path, md)
	}
	e.sync()
	return e
}

// TestIndex_SearchTyped runs each class of query of issue 13 and says
// which pages must come first, be found, or not be found.
func TestIndex_SearchTyped(t *testing.T) {
	t.Parallel()
	e := newTypedEnv(t)
	tests := []struct {
		name, q string
		first   string   // the first hit, "" for any
		found   []string // among the hits
		not     []string // not among the hits
	}{
		{name: "question form", q: "comment faire pour que les familles reçoivent les notifications",
			first: "assistance/notifications", not: []string{"assistance/bavard"}},
		{name: "a missing word", q: "notifications parents absence téléphone",
			first: "assistance/notifications", not: []string{"assistance/telephone"}},
		{name: "stop and filler words never match alone", q: "les parents ne reçoivent plus les mails",
			found: []string{"assistance/notifications"}, not: []string{"assistance/bavard"}},
		{name: "prefix of the last word", q: "notif", first: "assistance/notifications"},
		{name: "prefix after a whole word", q: "parents notif", first: "assistance/notifications"},
		{name: "typo of one edit", q: "absense", first: "assistance/notifications"},
		{name: "typo of one edit in a long word", q: "notfication", first: "assistance/notifications"},
		{name: "typo of two edits", q: "identifinats", first: "assistance/identifiants"},
		{name: "typo among right words", q: "parents notifcations absence", first: "assistance/notifications"},
		{name: "compound joined", q: "email", found: []string{"assistance/courriel", "assistance/adresse", "assistance/contact"}},
		{name: "compound hyphenated", q: "e-mail", found: []string{"assistance/courriel", "assistance/adresse", "assistance/contact"}},
		{name: "compound spaced", q: "e mail", found: []string{"assistance/courriel", "assistance/adresse", "assistance/contact"}},
		{name: "accented compound joined", q: "motclé", found: []string{"assistance/motcle", "assistance/etiquettes", "assistance/index"}},
		{name: "accented compound hyphenated", q: "mot-clé", found: []string{"assistance/motcle", "assistance/etiquettes", "assistance/index"}},
		{name: "accented compound spaced", q: "mot clé", found: []string{"assistance/motcle", "assistance/etiquettes", "assistance/index"}},
		{name: "a phrase stays strict", q: `"parents reçoivent" -absence`, not: []string{"assistance/notifications"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := paths(e.search(tt.q))
			if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
				t.Errorf("%q found %v, want %s first", tt.q, got, tt.first)
			}
			for _, p := range tt.found {
				if !slices.Contains(got, p) {
					t.Errorf("%q found %v, want %s among them", tt.q, got, p)
				}
			}
			for _, p := range tt.not {
				if slices.Contains(got, p) {
					t.Errorf("%q found %v, want no %s", tt.q, got, p)
				}
			}
		})
	}
}

// TestIndex_SearchExplain checks what a search says of its words: the
// corrections made, a query that finds more, and why each hit matched.
func TestIndex_SearchExplain(t *testing.T) {
	t.Parallel()
	e := newTypedEnv(t)
	t.Run("correction", func(t *testing.T) {
		res := e.search("notfication")
		want := []wiki.SearchCorrection{{Word: "notfication", To: "notification"}}
		if !slices.Equal(res.Corrections, want) {
			t.Errorf("corrections %v, want %v", res.Corrections, want)
		}
		if m := matchOf(res, "assistance/notifications", "notfication"); m.How != wiki.MatchCorrected || m.Found != "notification" {
			t.Errorf("match %+v, want corrected to notification", m)
		}
	})
	t.Run("no correction of a word found", func(t *testing.T) {
		if res := e.search("notification"); len(res.Corrections) != 0 {
			t.Errorf("corrections %v, want none", res.Corrections)
		}
	})
	t.Run("did you mean", func(t *testing.T) {
		res := e.search("réunon")
		want := []wiki.SearchCorrection{{Word: "réunon", To: "reunion"}}
		if res.Total != 1 || !slices.Equal(res.DidYouMean, want) {
			t.Errorf("%d hits, did you mean %v, want 1 hit and %v", res.Total, res.DidYouMean, want)
		}
	})
	t.Run("prefix", func(t *testing.T) {
		m := matchOf(e.search("notif"), "assistance/notifications", "notif")
		if m.How != wiki.MatchPrefix || !strings.HasPrefix(m.Found, "notification") || !slices.Contains(m.Fields, "title") {
			t.Errorf("match %+v, want a prefix found in the title", m)
		}
	})
	t.Run("word in title and text", func(t *testing.T) {
		m := matchOf(e.search("parents"), "assistance/notifications", "parents")
		if m.How != wiki.MatchWord || !slices.Equal(m.Fields, []string{"title", "headings", "text"}) {
			t.Errorf("match %+v, want the word in title and text", m)
		}
	})
	t.Run("debug scores per field", func(t *testing.T) {
		res, err := e.svc.Search(e.ctx, e.user, wiki.SearchParams{Q: "parents", Limit: 5, Debug: true})
		if err != nil {
			t.Fatal(err)
		}
		fs := res.Hits[0].FieldScores
		if fs["title"] <= 0 || fs["text"] <= 0 {
			t.Errorf("field scores %v, want title and text", fs)
		}
		if plain := e.search("parents"); plain.Hits[0].FieldScores != nil {
			t.Errorf("field scores without debug: %v", plain.Hits[0].FieldScores)
		}
	})
}

// matchOf returns what hit path says of word typed.
func matchOf(res wiki.SearchResult, path, word string) wiki.SearchMatch {
	for _, h := range res.Hits {
		if h.Path.String() != path {
			continue
		}
		for _, m := range h.Matches {
			if m.Word == word {
				return m
			}
		}
	}
	return wiki.SearchMatch{}
}
