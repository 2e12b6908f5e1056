package web

import (
	"bytes"
	"encoding/xml"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Atom 1.0 (RFC 4287) documents, as encoding/xml writes them: it escapes
// every text, the HTML of a content included, and replaces characters XML
// cannot hold.
type atomDoc struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Updated   string      `xml:"updated"`
	Author    atomPerson  `xml:"author"`
	Links     []atomLink  `xml:"link"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Author    atomPerson `xml:"author"`
	Link      atomLink   `xml:"link"`
	Summary   string     `xml:"summary"`
	Content   atomText   `xml:"content"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"` // an author's profile page
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// site is where the wiki is reached, for absolute links and entry IDs.
type site struct {
	url  string // scheme and host, no trailing slash
	host string // the host alone, as a tag URI's authority
}

// siteOf returns the address the reader reached the wiki at.
func (s *feeds) siteOf(r *http.Request) site {
	scheme := "http"
	if s.secureRequest(r) {
		scheme = "https"
	}
	host := r.Host
	if h, _, ok := strings.Cut(strings.TrimPrefix(host, "["), "]"); ok {
		host = h // an IPv6 address
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	host = strings.ToLower(host)
	if host == "" || strings.ContainsFunc(host, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == ':')
	}) {
		host = "localhost"
	}
	return site{url: scheme + "://" + r.Host, host: host}
}

// tagEpoch is the date of the feeds' tag URIs (RFC 4151): a fixed one,
// so that IDs never change.
const tagEpoch = ",2026:"

// atomFeed writes a feed; complete is false when some diffs were left out
// for lack of time, this time only.
func atomFeed(st site, t feedText, f *wiki.Feed, entries []wiki.FeedEntry) (body []byte, complete bool, err error) {
	self, alt, title := st.url+"/feeds/changes.atom", st.url+"/changes", t.changes
	switch {
	case f.Watchlist:
		self, alt, title = st.url+"/feeds/watchlist.atom", st.url+"/watchlist", t.watchlist
	case !f.Page.IsZero():
		self, alt = st.url+"/feeds/history/"+feedPath(f.Page), st.url+"/history/"+feedPath(f.Page)
		title = t.history + " " + f.Page.String()
		if len(f.Changes) > 0 && f.Changes[0].Title != "" {
			title = t.history + " " + f.Changes[0].Title
		}
	case f.Namespace != "":
		self += "?ns=" + url.QueryEscape(f.Namespace)
		alt += "?ns=" + url.QueryEscape(f.Namespace)
		title += " " + f.Namespace
	}
	doc := atomDoc{
		ID: "tag:" + st.host + tagEpoch + strings.TrimPrefix(self, st.url), Title: t.site + " — " + title,
		Updated: atomTime(f.Modified), Author: atomPerson{Name: t.site}, Generator: "clubwiki",
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}, {Rel: "alternate", Type: "text/html", Href: alt}},
	}
	if len(entries) > 0 {
		doc.Updated = atomTime(entries[0].Time)
	}
	complete = true
	for _, e := range entries {
		doc.Entries = append(doc.Entries, atomEntryOf(st, t, f, e))
		complete = complete && e.Omitted != wiki.OmittedBusy
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(doc); err != nil {
		return nil, false, err
	}
	return buf.Bytes(), complete, nil
}

// atomEntryOf is one change as an entry: the page's title, the author's
// display name, the summary, a link to the diff and the diff itself.
func atomEntryOf(st site, t feedText, f *wiki.Feed, e wiki.FeedEntry) atomEntry {
	diff := st.url + "/diff/" + feedPath(e.Path) + "?from=" + strconv.Itoa(e.Rev-1) + "&to=" + strconv.Itoa(e.Rev)
	title := e.Title
	if title == "" {
		title = e.Path.String()
	}
	summary := e.Summary
	if summary == "" {
		summary = t.kind(e.Kind)
	}
	content := e.DiffHTML
	switch {
	case e.Omitted == wiki.OmittedBusy:
		content = `<p><a href="` + html.EscapeString(diff) + `">` + html.EscapeString(t.busy) + "</a></p>"
	case e.Omitted != wiki.NotOmitted || e.Truncated:
		content += `<p><a href="` + html.EscapeString(diff) + `">` + html.EscapeString(t.tooLong) + "</a></p>"
	}
	head := "<p>" + html.EscapeString(t.kind(e.Kind)) + " — " + html.EscapeString(e.Path.String()) +
		" — " + html.EscapeString(t.rev) + " " + strconv.Itoa(e.Rev) + "</p>\n"
	when := atomTime(e.Time)
	return atomEntry{
		ID:    "tag:" + st.host + tagEpoch + e.Path.String() + "/" + strconv.Itoa(e.Rev) + "/" + strconv.FormatInt(e.Time.UnixNano(), 36),
		Title: title, Updated: when, Published: when,
		Author:  atomPerson{Name: f.Names[e.Author], URI: memberURI(st, e.Author)},
		Link:    atomLink{Rel: "alternate", Type: "text/html", Href: diff},
		Summary: summary,
		Content: atomText{Type: "html", Body: head + content},
	}
}

// feedPath escapes a page path for a URL, its slashes kept.
func feedPath(p wiki.Path) string { return (&url.URL{Path: p.String()}).EscapedPath() }

func atomTime(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}

// memberURI is the address of a member's profile, "" for the wiki's own
// author, who has none.
func memberURI(st site, login string) string {
	if login == "" || login == wiki.SystemAuthor {
		return ""
	}
	return st.url + profileURL(login)
}
