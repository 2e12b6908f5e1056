package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// a11yJS checks the page as loaded, in one evaluation (a round trip to the
// page costs the browser about as much as a short script): it returns its
// lang attribute, whether it shows its main element, and lists
//   - the visible text whose contrast with its background is under WCAG
//     2.x level AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold);
//     the background is the first opaque one up the tree, with
//     semi-transparent layers blended over it;
//   - the form controls a screen reader could not name;
//   - the style rules that select on the language and touch the focus's
//     outline or shadow: the focus walk of TestBrowser_Accessibility runs
//     in one language on the premise that there are none.
//
// With watch true, it also starts noting, for each element that takes the
// focus, how it shows it: "ok", or the element when it shows no focus (no
// outline and no box shadow). The style is read when the focus arrives;
// the stylesheet has no transitions, so it is the style a member sees.
//
// An editor's preview is rendered by the server after the page loads: the
// checks wait, 10 s at most, until it has replaced its placeholder, so that
// they see the preview a member sees (notpreview says when it did not come).
//
// Styles and backgrounds are looked up once per element, not once per
// text node and ancestor: the results are those of a lookup per node.
const a11yJS = `(async watch => {
  const preview = document.getElementById("preview");
  for (let i = 0; preview && preview.querySelector(":scope > .hint"); i++) {
    if (i === 500) return { notpreview: true };
    await new Promise(ok => setTimeout(ok, 20));
  }
  const styles = new Map(); const style = e => { let s = styles.get(e); if (!s) { s = getComputedStyle(e); styles.set(e, s); } return s; };
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return [0,0,0,0];
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0],p[1],p[2],p.length > 3 ? p[3] : 1]; };
  const lum = ([r,g,b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v/12.92 : Math.pow((v+0.055)/1.055, 2.4); };
    return 0.2126*f(r) + 0.7152*f(g) + 0.0722*f(b); };
  const over = (top, under) => { const a = top[3]; return [0,1,2].map(i => top[i]*a + under[i]*(1-a)).concat([1]); };
  const bgs = new Map();
  const background = e => { if (!e) return [255,255,255,1]; let bg = bgs.get(e); if (bg) return bg;
    const c = parse(style(e).backgroundColor);
    bg = c[3] >= 1 ? c : c[3] > 0 ? over(c, background(e.parentElement)) : background(e.parentElement);
    bgs.set(e, bg); return bg; };
  const verdicts = new Map(); // element -> null (not shown) or [ratio, need]
  const verdict = el => { if (verdicts.has(el)) return verdicts.get(el);
    const cs = style(el); const r = el.getBoundingClientRect(); let v = null;
    if (!(cs.visibility === "hidden" || cs.display === "none" || r.width === 0 || r.height === 0 || el.closest(".visually-hidden,[hidden]"))) {
      const bg = background(el); const fg = over(parse(cs.color), bg);
      const [a, b] = [lum(fg), lum(bg)]; const ratio = (Math.max(a,b)+0.05)/(Math.min(a,b)+0.05);
      const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight) >= 700;
      v = [ratio, (size >= 24 || (size >= 18.66 && bold)) ? 3 : 4.5]; }
    verdicts.set(el, v); return v; };
  const contrast = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement; if (!n.textContent.trim() || !el) continue;
    const v = verdict(el);
    if (v && v[0] < v[1]) contrast.push(el.tagName.toLowerCase() + "." + el.className + " «" + n.textContent.trim().slice(0,30) + "» " + v[0].toFixed(2) + " < " + v[1]);
  }
  const unlabelled = Array.from(document.querySelectorAll("input,select,textarea"))
    .filter(e => e.type !== "hidden" && !e.labels.length && !e.getAttribute("aria-label") && !e.getAttribute("aria-labelledby"))
    .map(e => e.outerHTML.slice(0, 80));
  const langStyles = [];
  const rules = list => { for (const r of list) {
    if (r.selectorText && /:lang\(|\[lang/i.test(r.selectorText) && /outline|box-shadow/i.test(r.style.cssText)) langStyles.push(r.cssText.slice(0, 120));
    if (r.cssRules) rules(r.cssRules); } };
  for (const sh of document.styleSheets) { try { rules(sh.cssRules); } catch (e) { langStyles.push("unreadable stylesheet " + sh.href); } }
  const main = document.querySelector("main");
  if (watch) { window.__focusSeen = [];
    document.addEventListener("focusin", ev => { const e = ev.target; const cs = getComputedStyle(e);
      const shown = (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== "none";
      window.__focusSeen.push(shown ? "ok" : e.outerHTML.slice(0, 80)); }); }
  return { lang: document.documentElement.lang, main: !!main && main.getClientRects().length > 0 && style(main).visibility !== "hidden",
    contrast: contrast.join("\n"), unlabelled: unlabelled.join("\n"), langStyles: langStyles.join("\n") };
})`

// a11yReport is what a11yJS returns.
type a11yReport struct {
	Lang       string `json:"lang"`
	Main       bool   `json:"main"`
	Contrast   string `json:"contrast"`
	Unlabelled string `json:"unlabelled"`
	LangStyles string `json:"langStyles"`
	NotPreview bool   `json:"notpreview"`
}

// TestBrowser_Accessibility checks, on every kind of page, in French and in
// English: text contrast at WCAG AA, a name for every form control, a lang
// attribute (the language chosen), and a visible focus on what the Tab key
// reaches.
//
// The focus is walked in French only: pressing a key costs the browser
// about a millisecond per event, whatever the page does with it, and the
// walk in both languages was a quarter of the test's Chromium CPU. How an element shows its focus cannot
// depend on the language: the stylesheet has one focus rule for every
// language, the templates give the same elements the same classes in
// both and change only their text, and the computed outline and shadow
// that the walk reads do not depend on the text. The one way a language
// could change them, a style rule selecting on the language, is looked
// for on every page in both languages (a11yJS's langStyles).
func TestBrowser_Accessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, editor := wikiServerWith(t)
	bg := context.Background()
	md := "---\ntype: resolution\n---\n# Connexion\n\n## Symptôme\n\nLa connexion échoue, voir [[assistance/absente]] et [[club/accueil]].\n\n| Projet | État |\n|:--|--:|\n| e-lyco | résolu |\n\n```\ncode\n```\n\n> Citation.\n"
	for base, text := range []string{md, md + "\nAjout.\n"} {
		if _, err := svc.Save(bg, editor, domain.SaveRequest{Path: domain.MustPath("assistance/connexion"), Markdown: text, BaseRev: base}); err != nil {
			t.Fatal(err)
		}
	}
	pages := []string{"/", "/ns/assistance", "/wiki/assistance/connexion", "/wiki/assistance/connexion?rev=1",
		"/wiki/assistance/absente", "/edit/assistance/connexion", "/new", "/history/assistance/connexion",
		"/diff/assistance/connexion?from=1&to=2", "/diff/assistance/connexion?from=1&to=2&view=cote",
		"/diff/assistance/connexion?from=0&to=2&view=rendu", "/diff/assistance/connexion?from=1&to=2&view=unifiee",
		"/changes", "/watchlist", "/settings", "/search?q=connexion", "/search?q=introuvable"}

	waitIndexed(t, base)

	// One tab per language, in parallel: the walk is the package's longest.
	// The language is a cookie, so each browser context keeps its own.
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			ctx := newBrowser(t)
			console := consoleErrors(t, ctx)
			walk := lang == "fr"
			// The language is chosen on the login page, with its footer's
			// switcher, so that the login page too is checked in it.
			step(t, ctx, "the login page", chromedp.Navigate(base+"/login"))
			chooseLanguage(t, ctx, lang)
			checkPage(t, ctx, lang+" /login", lang, walk)
			signInAs(t, ctx, base, "camille")
			for _, p := range pages {
				step(t, ctx, "opening "+p, chromedp.Navigate(base+p)) // waits for the load event
				checkPage(t, ctx, lang+" "+p, lang, walk)
			}
			if errs := console(); len(errs) > 0 {
				t.Errorf("errors in the console:\n%s", strings.Join(errs, "\n"))
			}
		})
	}
}

// consoleErrors collects, until the returned function is called, the
// uncaught exceptions and console errors of the tab's pages. The browser's
// own network log is left out: a missing page is a 404 on purpose.
func consoleErrors(t *testing.T, ctx context.Context) func() []string {
	t.Helper()
	ctx, stop := context.WithCancel(ctx)
	messages := chromedp.Console(ctx)
	var errs []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || (m.Type == chromedp.ConsoleError && m.Source != "network") {
				errs = append(errs, m.String()+" at "+m.URL)
			}
		}
	}()
	return func() []string {
		stop()
		<-done
		return errs
	}
}

// checkA11y checks the loaded page as TestBrowser_Accessibility does, in
// whichever language it is, walking the focus.
func checkA11y(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	checkPage(t, ctx, page, "", true)
}

// checkPage checks the loaded page's lang attribute (lang, or either
// language when lang is empty), that it shows its main element, its text
// contrast, its form controls' names and its style rules (see a11yJS);
// with walk, it also presses Tab twelve times and checks that each
// element reached shows its focus.
func checkPage(t *testing.T, ctx context.Context, page, lang string, walk bool) {
	t.Helper()
	r, err := chromedp.Run(ctx, chromedp.Evaluate[a11yReport](a11yJS+"("+strconv.FormatBool(walk)+")", chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: checking the page: %v", page, err)
	}
	if r.NotPreview {
		t.Fatalf("%s: the editor's preview did not come in 10 s", page)
	}
	if r.Lang != lang && (lang != "" || r.Lang != "fr" && r.Lang != "en") {
		t.Errorf("%s: lang attribute %q, want %q", page, r.Lang, lang)
	}
	if !r.Main {
		t.Errorf("%s: no visible main element", page)
	}
	if r.Contrast != "" {
		t.Errorf("%s: text under WCAG AA contrast:\n%s", page, r.Contrast)
	}
	if r.Unlabelled != "" {
		t.Errorf("%s: form controls without a label:\n%s", page, r.Unlabelled)
	}
	if r.LangStyles != "" {
		t.Errorf("%s: style rules that select on the language and touch the focus (the focus is walked in one language):\n%s", page, r.LangStyles)
	}
	if !walk {
		return
	}
	// The first Tab reaches the skip link; then the header, the page. The
	// page notes each focus as it comes (a11yJS's watch), read once after
	// the twelve presses: a read after each press would cost as much
	// again as the presses.
	tabs := make([]chromedp.Action[chromedp.Void], 12)
	for i := range tabs {
		tabs[i] = chromedp.KeyEvent(kb.Tab)
	}
	step(t, ctx, "pressing Tab", tabs...)
	seen, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__focusSeen`))
	if err != nil {
		t.Fatalf("%s: reading the focus: %v", page, err)
	}
	if len(seen) == 0 {
		t.Errorf("%s: Tab focuses nothing", page)
	}
	var invisible []string
	for _, got := range seen {
		if got != "ok" {
			invisible = append(invisible, got)
		}
	}
	if len(invisible) > 0 {
		t.Errorf("%s: focus not visible on:\n%s", page, strings.Join(invisible, "\n"))
	}
}
