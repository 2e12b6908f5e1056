package web

import (
	"net/http"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// feedText is the few words of a feed, in French, or in English for a
// reader whose first language is English. A feed reader rarely says, so
// feeds are French as the wiki is by default; the interface's catalogues
// are its own part's.
type feedText struct {
	lang                                       string
	site, changes, history, rev, tooLong, busy string
	watchlist                                  string
	kinds                                      map[wiki.ChangeKind]string
	words                                      wiki.FeedWords // of the entries' diffs
}

var feedTexts = map[string]feedText{
	"fr": {lang: "fr", site: "clubwiki", changes: "Modifications récentes", history: "Historique :", rev: "révision",
		watchlist: "Ma liste de suivi",
		tooLong:   "diff trop long, voir le lien", busy: "diff non calculé (wiki occupé), voir le lien",
		kinds: map[wiki.ChangeKind]string{wiki.KindCreate: "création", wiki.KindEdit: "modification",
			wiki.KindDelete: "suppression", wiki.KindRevert: "restauration", wiki.KindMove: "déplacement"},
		words: wiki.FeedWords{Unchanged: "… %d lignes inchangées …",
			MovedUp: "(paragraphe déplacé plus haut)", MovedDown: "(paragraphe déplacé plus bas)",
			CameFromUp: "Paragraphe déplacé ici depuis plus haut :", CameFromDn: "Paragraphe déplacé ici depuis plus bas :"}},
	"en": {lang: "en", site: "clubwiki", changes: "Recent changes", history: "History:", rev: "revision",
		watchlist: "My watchlist",
		tooLong:   "diff too long, follow the link", busy: "diff not computed (wiki busy), follow the link",
		kinds: map[wiki.ChangeKind]string{wiki.KindCreate: "creation", wiki.KindEdit: "edit",
			wiki.KindDelete: "deletion", wiki.KindRevert: "revert", wiki.KindMove: "move"},
		words: wiki.FeedWords{Unchanged: "… %d unchanged lines …",
			MovedUp: "(paragraph moved up)", MovedDown: "(paragraph moved down)",
			CameFromUp: "Paragraph moved here from above:", CameFromDn: "Paragraph moved here from below:"}},
}

// feedTextFor picks the language of a feed: English when the reader's
// first choice is English, French otherwise.
func feedTextFor(r *http.Request) feedText {
	al := strings.ToLower(strings.TrimSpace(r.Header.Get("Accept-Language")))
	if strings.HasPrefix(al, "en") {
		return feedTexts["en"]
	}
	return feedTexts["fr"]
}

// kind names what a change did.
func (t feedText) kind(k wiki.ChangeKind) string {
	if s, ok := t.kinds[k]; ok {
		return s
	}
	return string(k)
}
