package wiki

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	htmpl "html/template"
	"strconv"
	"strings"
	ttmpl "text/template"
	"time"
)

// Bounds of one mail: the diffs of at most mailDiffPages pages, each at
// most mailDiffMax bytes of text and of HTML, each computed within
// mailDiffTime; past them the mail links to the diff only.
const (
	mailDiffPages = 10
	mailDiffMax   = 16 << 10
	mailDiffTime  = 2 * time.Second
)

// mailPage is one page of a mail: its changes, oldest first, and the
// diff from before the first to the last.
type mailPage struct {
	Title, Path, URL, DiffURL string
	Changes                   []mailChange
	DiffText                  string
	DiffHTML                  htmpl.HTML
	Truncated, NoDiff         bool
}

type mailChange struct {
	Rev                   int
	When, Author, Summary string
}

// mailView is what the templates of a mail read.
type mailView struct {
	T           map[string]string
	Name        string
	Daily       bool
	Pages       []mailPage
	Site        string
	Unsubscribe string
	Settings    string
	More        int // changes not shown, past mailNotices
	MoreText    string
	MorePages   []mailPage // the pages of those changes, title and link only
	Watchlist   string
}

// compose makes the mail telling u of notices (at most mailNotices),
// grouped by page in the order of their first change, and counting more
// changes not shown.
func (n *Notifier) compose(ctx context.Context, u User, set NotifySettings, notices, rest []Notice, daily bool) (Mail, error) {
	more := len(rest)
	lang := mailLang(set.Lang)
	v := mailView{T: mailWords[lang], Name: cmpOr(u.Name, u.Login), Daily: daily, Site: n.cfg.BaseURL,
		Settings: n.cfg.BaseURL + "/settings", More: more, Watchlist: n.cfg.BaseURL + "/watchlist"}
	v.MoreText = ttf(v.T["more"], more)
	v.MorePages = n.mailPages(rest, nil, lang)
	unsub, err := n.s.UnsubscribeURL(ctx, n.cfg.BaseURL, u.Login)
	if err != nil {
		return Mail{}, err
	}
	v.Unsubscribe = unsub
	names, err := n.s.store.UserNames(ctx, noticeAuthors(notices))
	if err != nil {
		return Mail{}, err
	}
	v.Pages = n.mailPages(notices, names, lang)
	for i := range v.Pages {
		if i < mailDiffPages {
			n.pageDiff(ctx, &v.Pages[i], notices)
		} else {
			v.Pages[i].NoDiff = true
		}
	}
	var text, html strings.Builder
	if err := mailText.Execute(&text, v); err != nil {
		return Mail{}, Internal(err, "writing a mail")
	}
	if err := mailHTML.Execute(&html, v); err != nil {
		return Mail{}, Internal(err, "writing a mail")
	}
	return Mail{To: u.Email, Subject: mailSubject(v, len(notices), n.cfg.Clock.Now().In(n.cfg.Location)),
		Text: text.String(), HTML: html.String(), ID: mailID(notices), Unsubscribe: unsub}, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func mailLang(l string) string {
	if l == "en" {
		return "en"
	}
	return "fr"
}

func noticeAuthors(ns []Notice) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range ns {
		if !seen[x.Author] {
			seen[x.Author] = true
			out = append(out, x.Author)
		}
	}
	return out
}

// mailID names a mail by the notices it carries.
func mailID(ns []Notice) string {
	h := sha256.New()
	for _, x := range ns {
		h.Write([]byte(x.Login + "\x00" + strconv.FormatUint(x.Seq, 10) + "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// mailPages groups notices by page.
func (n *Notifier) mailPages(ns []Notice, names map[string]string, lang string) []mailPage {
	var out []mailPage
	at := map[Path]int{}
	layout := "02/01/2006 15:04"
	if lang == "en" {
		layout = "2006-01-02 15:04"
	}
	for _, x := range ns {
		i, ok := at[x.Path]
		if !ok {
			i = len(out)
			at[x.Path] = i
			out = append(out, mailPage{Path: x.Path.String(), URL: n.cfg.BaseURL + "/wiki/" + x.Path.String()})
		}
		p := &out[i]
		p.Title = cmpOr(x.Title, x.Path.DefaultTitle())
		p.Changes = append(p.Changes, mailChange{Rev: x.Rev, When: x.Time.In(n.cfg.Location).Format(layout),
			Author: cmpOr(names[x.Author], x.Author), Summary: x.Summary})
	}
	for i := range out {
		cs := out[i].Changes
		out[i].DiffURL = n.cfg.BaseURL + "/diff/" + out[i].Path + "?from=" + strconv.Itoa(cs[0].Rev-1) + "&to=" + strconv.Itoa(cs[len(cs)-1].Rev)
	}
	return out
}

// pageDiff fills p's word diff, from before its first change to its
// last; a diff that fails or takes too long is left out, the link stays.
func (n *Notifier) pageDiff(ctx context.Context, p *mailPage, _ []Notice) {
	path, err := ParsePath(p.Path)
	if err != nil {
		p.NoDiff = true
		return
	}
	from, to := p.Changes[0].Rev-1, p.Changes[len(p.Changes)-1].Rev
	dctx, cancel := context.WithTimeout(ctx, mailDiffTime)
	defer cancel()
	release, err := n.s.diffs.acquire(dctx)
	if err != nil {
		p.NoDiff = true
		return
	}
	defer release()
	a, err := n.s.revisionText(dctx, path, from)
	if err != nil {
		p.NoDiff = true
		return
	}
	b, err := n.s.revisionText(dctx, path, to)
	if err != nil {
		p.NoDiff = true
		return
	}
	wd, err := n.s.differ.Words(dctx, a, b)
	if err != nil {
		p.NoDiff = true
		return
	}
	var html string
	p.DiffText, html, p.Truncated = wordDiffMail(wd, mailDiffMax)
	p.DiffHTML = htmpl.HTML(html)
}

// mailSubject holds the first page's title.
func mailSubject(v mailView, changes int, now time.Time) string {
	first := v.Pages[0]
	var s string
	switch {
	case v.Daily && len(v.Pages) == 1:
		s = ttf(v.T["digest_one"], now.Format(v.T["day"]), first.Title)
	case v.Daily:
		s = ttf(v.T["digest_many"], now.Format(v.T["day"]), first.Title, len(v.Pages)-1)
	case len(v.Pages) == 1:
		s = ttf(v.T["subject_one"], first.Title, first.Changes[len(first.Changes)-1].Author)
	default:
		s = ttf(v.T["subject_many"], first.Title, len(v.Pages)-1)
	}
	return "[clubwiki] " + s
}

// ttf fills %s and %d in order, as fmt would, for the words' table.
func ttf(format string, args ...any) string {
	var sb strings.Builder
	for _, a := range args {
		i := strings.IndexByte(format, '%')
		if i < 0 || i+1 >= len(format) {
			break
		}
		sb.WriteString(format[:i])
		switch x := a.(type) {
		case string:
			sb.WriteString(x)
		case int:
			sb.WriteString(strconv.Itoa(x))
		}
		format = format[i+2:]
	}
	sb.WriteString(format)
	return sb.String()
}

// wordDiffMail writes a word diff for a mail: unchanged runs folded to
// "…", deletions as [-x-] and insertions as {+x+} in the text, <del> and
// <ins> in the HTML, every text escaped; each at most max bytes.
func wordDiffMail(wd WordDiff, max int) (text, html string, truncated bool) {
	var t, h strings.Builder
	for _, b := range wd.Blocks {
		if b.Kind == BlockSame {
			t.WriteString("…\n")
			h.WriteString("…\n")
			continue
		}
		for _, sg := range b.Segments {
			if t.Len()+len(sg.Text)+4 > max || h.Len()+6*len(sg.Text)+30 > max {
				room := min(max-t.Len(), (max-h.Len())/6) - 30
				sg.Text = cutUTF8(sg.Text, room)
				truncated = true
			}
			writeSegment(&t, &h, sg)
			if truncated {
				return t.String() + "…\n", h.String() + "…\n", true
			}
		}
		if s := t.String(); !strings.HasSuffix(s, "\n") {
			t.WriteString("\n")
			h.WriteString("\n")
		}
	}
	return t.String(), h.String(), false
}

func writeSegment(t, h *strings.Builder, sg Segment) {
	esc := htmpl.HTMLEscapeString(sg.Text)
	switch sg.Op {
	case SegDelete:
		t.WriteString("[-" + sg.Text + "-]")
		h.WriteString(`<del style="background:#fdd;color:#900">` + esc + "</del>")
	case SegInsert:
		t.WriteString("{+" + sg.Text + "+}")
		h.WriteString(`<ins style="background:#dfd;color:#060">` + esc + "</ins>")
	default:
		t.WriteString(sg.Text)
		h.WriteString(esc)
	}
}

var mailText = ttmpl.Must(ttmpl.New("text").Parse(`{{index .T "hello"}} {{.Name}},

{{if .Daily}}{{index .T "intro_daily"}}{{else}}{{index .T "intro"}}{{end}}
{{range .Pages}}
== {{.Title}} ({{.Path}}) ==
{{range .Changes}}- {{index $.T "rev"}} {{.Rev}}, {{.When}}, {{.Author}}{{with .Summary}}{{index $.T "colon"}} {{.}}{{end}}
{{end}}{{index $.T "diff"}}{{index $.T "colon"}} {{.DiffURL}}
{{if .NoDiff}}{{else}}
{{.DiffText}}{{if .Truncated}}{{index $.T "truncated"}}
{{end}}{{end}}{{end}}{{if .More}}
{{.MoreText}}{{index .T "colon"}} {{.Watchlist}}
{{range .MorePages}}  * {{.Title}} ({{.Path}})
{{end}}{{end}}
-- 
{{index .T "why"}} {{.Site}}
{{index .T "unsubscribe"}}{{index .T "colon"}} {{.Unsubscribe}}
{{index .T "settings"}}{{index .T "colon"}} {{.Settings}}
`))

var mailHTML = htmpl.Must(htmpl.New("html").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>clubwiki</title></head>
<body style="font-family:sans-serif;line-height:1.4">
<p>{{index .T "hello"}} {{.Name}},</p>
<p>{{if .Daily}}{{index .T "intro_daily"}}{{else}}{{index .T "intro"}}{{end}}</p>
{{range .Pages}}<h2 style="font-size:1.1em"><a href="{{.URL}}">{{.Title}}</a></h2>
<ul>{{range .Changes}}<li>{{index $.T "rev"}} {{.Rev}}, {{.When}}, {{.Author}}{{with .Summary}}{{index $.T "colon"}} {{.}}{{end}}</li>{{end}}</ul>
<p><a class="diff-link" href="{{.DiffURL}}">{{index $.T "diff"}}</a></p>
{{if not .NoDiff}}<pre class="diff" style="white-space:pre-wrap;border-left:3px solid #ccc;padding-left:.5em">{{.DiffHTML}}</pre>
{{if .Truncated}}<p>{{index $.T "truncated"}}</p>{{end}}{{end}}{{end}}
{{if .More}}<p class="more">{{.MoreText}}{{index .T "colon"}} <a href="{{.Watchlist}}">{{.Watchlist}}</a></p>
<ul>{{range .MorePages}}<li><a href="{{.URL}}">{{.Title}}</a></li>{{end}}</ul>{{end}}
<hr>
<p style="font-size:.9em;color:#555">{{index .T "why"}} <a href="{{.Site}}">{{.Site}}</a><br>
<a class="unsubscribe" href="{{.Unsubscribe}}">{{index .T "unsubscribe"}}</a> · <a href="{{.Settings}}">{{index .T "settings"}}</a></p>
</body></html>
`))

// mailWords are the words of the mails, French and English.
var mailWords = map[string]map[string]string{
	"fr": {
		"hello": "Bonjour", "intro": "Des pages que vous suivez ont changé :",
		"intro_daily": "Les changements du jour dans les pages que vous suivez :",
		"rev":         "révision", "diff": "Voir les différences",
		"truncated":   "(différences coupées : la suite est dans le lien)",
		"why":         "Vous recevez ce message parce que vous suivez ces pages sur",
		"more":        "… et %d autre(s) changement(s), dans votre liste de suivi",
		"unsubscribe": "Ne plus recevoir de messages (en un clic)", "settings": "Vos réglages",
		"subject_one": "« %s » modifiée par %s", "subject_many": "« %s » et %d autre(s) page(s) modifiée(s)",
		"digest_one": "Résumé du %s : « %s »", "digest_many": "Résumé du %s : « %s » et %d autre(s) page(s)",
		"day": "02/01/2006", "colon": " :",
	},
	"en": {
		"hello": "Hello", "intro": "Pages you watch have changed:",
		"intro_daily": "Today's changes to the pages you watch:",
		"rev":         "revision", "diff": "See the differences",
		"truncated":   "(differences cut: the rest is behind the link)",
		"why":         "You receive this message because you watch these pages on",
		"more":        "… and %d other change(s), in your watchlist",
		"unsubscribe": "Stop receiving messages (one click)", "settings": "Your settings",
		"subject_one": "“%s” changed by %s", "subject_many": "“%s” and %d other page(s) changed",
		"digest_one": "Digest of %s: “%s”", "digest_many": "Digest of %s: “%s” and %d other page(s)",
		"day": "2006-01-02", "colon": ":",
	},
}
