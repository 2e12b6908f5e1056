package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kdecole-club/clubwiki/assets"
	"github.com/kdecole-club/clubwiki/wiki"
	"golang.org/x/text/language"
)

// langCookie holds the language a user chose with the footer's switcher.
const langCookie = "lang"

// catalog is the interface text of one language. Templates call its methods
// (T, Date, ISO) through the view's L field.
type catalog struct {
	lang   string // BCP 47 tag, for the lang attribute
	msgs   map[string]string
	months [12]string
	loc    *time.Location
	// Chrome is the text of the layout around every page, looked up once:
	// templates reach struct fields far faster than they call methods,
	// and the layout runs on every answer.
	Chrome chrome
	// navs are the executed "site-nav" of the layout, by navIndex: the
	// same for every member of one language and menu.
	navs [4]template.HTML
	// frames are the layout around an answer, by frameIndex (frame).
	frames [4]*frame
}

// navIndex picks the menu of a member who may create pages (canNew) and
// may administer (admin).
func navIndex(canNew, admin bool) int { return twoFlags(canNew, admin) }

// twoFlags numbers the four cases of two flags, 0 to 3: the index of a
// catalogue's executed menus and frames.
func twoFlags(a, b bool) int {
	i := 0
	if a {
		i |= 1
	}
	if b {
		i |= 2
	}
	return i
}

// executeNavs executes the layout's "site-nav" for every menu, with t,
// any page's template set.
func (c *catalog) executeNavs(t *template.Template) error {
	for _, canNew := range []bool{false, true} {
		for _, admin := range []bool{false, true} {
			var b strings.Builder
			data := struct {
				C             chrome
				L             *catalog
				CanNew, Admin bool
			}{c.Chrome, c, canNew, admin}
			if err := t.ExecuteTemplate(&b, "site-nav", data); err != nil {
				return fmt.Errorf("executing the menu in %s: %w", c.lang, err)
			}
			c.navs[navIndex(canNew, admin)] = template.HTML(b.String())
		}
	}
	return nil
}

// chrome holds the layout's words in one language.
type chrome struct {
	Lang, SiteName, Skip, NavLabel, NavHome, NavChanges, NavNew string
	NavWatchlist, NavDrafts                                     string
	SearchBoxLabel, SearchPlaceholder, SearchSuggestions        string
	SearchSuggestCount, SearchSubmit, NavSettings, NavLogout    string
	FooterLanguage, FooterChange, FooterAbout                   string
	FeedChanges, FeedHistory, FeedWatchlist                     string
}

func newChrome(c *catalog) chrome {
	return chrome{
		Lang: c.lang, SiteName: c.T("site.name"), Skip: c.T("nav.skip"), NavLabel: c.T("nav.label"),
		NavHome: c.T("nav.home"), NavChanges: c.T("nav.changes"), NavNew: c.T("nav.new"),
		NavWatchlist: c.T("nav.watchlist"), NavDrafts: c.T("nav.drafts"),
		SearchBoxLabel: c.T("search.box_label"), SearchPlaceholder: c.T("search.box_placeholder"),
		SearchSuggestions: c.T("search.suggestions"), SearchSuggestCount: c.T("search.suggest_count"),
		SearchSubmit: c.T("search.submit"), NavSettings: c.T("nav.settings"), NavLogout: c.T("nav.logout"),
		FooterLanguage: c.T("footer.language"), FooterChange: c.T("footer.change"), FooterAbout: c.T("footer.about"),
		FeedChanges: c.T("feeds.changes"), FeedHistory: c.T("feeds.history"),
		FeedWatchlist: c.T("feeds.watchlist"),
	}
}

// languages lists the interface languages; the first is the default.
var languages = []language.Tag{language.French, language.English}

// loadCatalogs reads "<lang>.json" for every language in languages.
func loadCatalogs(fsys fs.FS, loc *time.Location) (map[string]*catalog, error) {
	msgs, err := decodeCatalogs(fsys)
	if err != nil {
		return nil, err
	}
	return newCatalogs(msgs, loc), nil
}

// embeddedMessages decodes the embedded catalogues once per process: they
// never change, and a catalogue's messages are only read once decoded, so
// every Server shares them (a test binary makes hundreds of servers, and
// decoding was most of the time it took to make one).
var embeddedMessages = sync.OnceValues(func() (map[string]map[string]string, error) {
	return decodeCatalogs(assets.I18n())
})

// decodeCatalogs reads "<lang>.json" for every language in languages, by
// language tag.
func decodeCatalogs(fsys fs.FS) (map[string]map[string]string, error) {
	out := make(map[string]map[string]string, len(languages))
	for _, tag := range languages {
		name := tag.String()
		b, err := fs.ReadFile(fsys, name+".json")
		if err != nil {
			return nil, fmt.Errorf("reading the %s catalogue: %w", name, err)
		}
		if out[name], err = decodeCatalog(b); err != nil {
			return nil, fmt.Errorf("decoding the %s catalogue: %w", name, err)
		}
	}
	return out, nil
}

// newCatalogs makes the catalogues of decoded messages (decodeCatalogs,
// which they share and never change) showing dates in loc.
func newCatalogs(msgs map[string]map[string]string, loc *time.Location) map[string]*catalog {
	out := make(map[string]*catalog, len(msgs))
	for name, m := range msgs {
		c := &catalog{lang: name, loc: loc, msgs: m}
		for i := range c.months {
			c.months[i] = c.msgs["date.month."+strconv.Itoa(i+1)]
		}
		c.Chrome = newChrome(c)
		out[name] = c
	}
	return out
}

// decodeCatalog reads a flat JSON object of strings. A key written twice is
// an error: encoding/json would keep the last silently, and two branches
// adding the same message is exactly how one wording gets lost.
func decodeCatalog(b []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	msgs := map[string]string{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		var val string
		if err := dec.Decode(&val); err != nil {
			return nil, fmt.Errorf("key %q: %w", key, err)
		}
		if _, dup := msgs[key]; dup {
			return nil, fmt.Errorf("key %q is written twice", key)
		}
		msgs[key] = val
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return msgs, nil
}

// T returns the text of key, formatted with args (fmt verbs) when given. A
// missing key shows itself, so that a gap is visible rather than blank; a
// test keeps the catalogues complete.
func (c *catalog) T(key string, args ...any) string {
	s, ok := c.msgs[key]
	if !ok {
		return key
	}
	// A message may leave out arguments its callers pass (the rendering
	// bounds all get count and max): without a verb there is nothing to
	// format, and Sprintf would append "%!(EXTRA …)".
	if len(args) > 0 && strings.Contains(s, "%") {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// reason returns the wording of err's reason ("reason.<key>", with the
// error's arguments), or "" when the wiki gave none or the catalogue has
// no text for it.
func (c *catalog) reason(err error) string {
	r, args := wiki.ErrorReason(err)
	if r == "" {
		return ""
	}
	if _, ok := c.msgs["reason."+string(r)]; !ok {
		return ""
	}
	return c.T("reason."+string(r), args...)
}

// refusal words err for people: the text of its reason when there is one,
// else the catalogue's text for its code.
func (c *catalog) refusal(err error, code wiki.Code) string {
	if msg := c.reason(err); msg != "" {
		return msg
	}
	return c.T("error." + string(code))
}

// Date formats t in the wiki's time zone in the catalogue's words, e.g.
// "29 novembre 2026 à 14:05" or "29 November 2026, 14:05".
func (c *catalog) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(c.loc)
	r := strings.NewReplacer(
		"{day}", strconv.Itoa(t.Day()),
		"{month}", c.months[t.Month()-1],
		"{year}", strconv.Itoa(t.Year()),
		"{time}", t.Format("15:04"),
	)
	return r.Replace(c.msgs["date.format"])
}

// ISO formats t for a <time datetime> attribute.
func (c *catalog) ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// catalogFor picks the language of a request: the lang cookie when it names
// a known language, else the best match for Accept-Language, else French.
func (u *ui) catalogFor(r *http.Request) *catalog {
	if ck, err := r.Cookie(langCookie); err == nil {
		if c, ok := u.cats[ck.Value]; ok {
			return c
		}
	}
	if al := r.Header.Get("Accept-Language"); al != "" {
		tags, _, err := language.ParseAcceptLanguage(al)
		if err == nil && len(tags) > 0 {
			_, i, conf := u.matcher.Match(tags...)
			if conf != language.No {
				return u.cats[languages[i].String()]
			}
		}
	}
	return u.cats[languages[0].String()]
}
