package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// contrastJS lists the visible text whose contrast with its background is
// under WCAG 2.x level AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px
// bold). The background is the first opaque one up the tree, with
// semi-transparent layers blended over it.
const contrastJS = `(() => {
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return [0,0,0,0];
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0],p[1],p[2],p.length > 3 ? p[3] : 1]; };
  const lum = ([r,g,b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v/12.92 : Math.pow((v+0.055)/1.055, 2.4); };
    return 0.2126*f(r) + 0.7152*f(g) + 0.0722*f(b); };
  const over = (top, under) => { const a = top[3]; return [0,1,2].map(i => top[i]*a + under[i]*(1-a)).concat([1]); };
  const background = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let bg = [255,255,255,1]; for (let i = layers.length-1; i >= 0; i--) bg = over(layers[i], bg); return bg; };
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement; if (!n.textContent.trim() || !el) continue;
    const cs = getComputedStyle(el); const r = el.getBoundingClientRect();
    if (cs.visibility === "hidden" || cs.display === "none" || r.width === 0 || r.height === 0 || el.closest(".visually-hidden,[hidden]")) continue;
    const bg = background(el); const fg = over(parse(cs.color), bg);
    const [a, b] = [lum(fg), lum(bg)]; const ratio = (Math.max(a,b)+0.05)/(Math.min(a,b)+0.05);
    const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight) >= 700;
    const need = (size >= 24 || (size >= 18.66 && bold)) ? 3 : 4.5;
    if (ratio < need) bad.push(el.tagName.toLowerCase() + "." + el.className + " «" + n.textContent.trim().slice(0,30) + "» " + ratio.toFixed(2) + " < " + need);
  }
  return bad.join("\n");
})()`

// unlabelledJS lists the form controls a screen reader could not name.
const unlabelledJS = `(() => Array.from(document.querySelectorAll("input,select,textarea"))
  .filter(e => e.type !== "hidden" && !e.labels.length && !e.getAttribute("aria-label") && !e.getAttribute("aria-labelledby"))
  .map(e => e.outerHTML.slice(0, 80)).join("\n"))()`

// focusWatchJS starts noting, for each element that takes the focus, how
// it shows it: "ok", or the element when it shows no focus (no outline and
// no box shadow). The style is read when the focus arrives; the stylesheet
// has no transitions, so it is the style a member sees.
const focusWatchJS = `(() => { window.__focusSeen = [];
  document.addEventListener("focusin", ev => { const e = ev.target; const cs = getComputedStyle(e);
    const shown = (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== "none";
    window.__focusSeen.push(shown ? "ok" : e.outerHTML.slice(0, 80)); });
  return ""; })()`

// TestBrowser_Accessibility checks, on every kind of page, in French and in
// English: text contrast at WCAG AA, a name for every form control, a lang
// attribute, and a visible focus on what the Tab key reaches.
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
			step(t, ctx, "the login page", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("login")))
			checkA11y(t, ctx, "/login")
			signInAs(t, ctx, base, "camille")
			step(t, ctx, "the home page", chromedp.Navigate(base+"/"))
			chooseLanguage(t, ctx, lang)
			for _, p := range pages {
				step(t, ctx, "opening "+p, chromedp.Navigate(base+p), chromedp.WaitVisible(chromedp.CSS("main")))
				checkA11y(t, ctx, lang+" "+p)
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

func checkA11y(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	if lang := evalString(t, ctx, `document.documentElement.lang`); lang != "fr" && lang != "en" {
		t.Errorf("%s: lang attribute %q", page, lang)
	}
	if bad := evalString(t, ctx, contrastJS); bad != "" {
		t.Errorf("%s: text under WCAG AA contrast:\n%s", page, bad)
	}
	if bad := evalString(t, ctx, unlabelledJS); bad != "" {
		t.Errorf("%s: form controls without a label:\n%s", page, bad)
	}
	// The first Tab reaches the skip link; then the header, the page. The
	// page notes each focus as it comes (focusWatchJS), read once after
	// the twelve presses: a read after each press would cost as much
	// again as the presses.
	evalString(t, ctx, focusWatchJS)
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
