package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/mmcdole/gofeed"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_FeedKey: a member finds the feeds in a page's head, makes a
// feed key on the settings page, gives its address to a feed reader (a
// client without cookies here), then revokes it.
func TestBrowser_FeedKey(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, editor := wikiServerWith(t)
	if _, err := svc.Save(context.Background(), editor, domain.SaveRequest{Path: domain.MustPath("usages/flux"),
		Markdown: "# Flux de suivi\n\nUn paragraphe.\n", Summary: "première version"}); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	signInAs(t, ctx, base, "camille")
	step(t, ctx, "a page", chromedp.Navigate(base+"/wiki/usages/flux"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	links := evalString(t, ctx, `Array.from(document.querySelectorAll('head link[rel=alternate][type="application/atom+xml"]')).map(l => l.getAttribute("href")).join(" ")`)
	if links != "/feeds/changes.atom /feeds/history/usages/flux" {
		t.Errorf("feed links in the head: %q", links)
	}

	step(t, ctx, "making a feed key", chromedp.Navigate(base+"/settings"),
		chromedp.WaitVisible(chromedp.ID("feeds-title")),
		load(chromedp.Click(chromedp.CSS(`form[action="/settings/feedkey"] button`))),
		chromedp.WaitVisible(chromedp.ID("new-feed-url")))
	feedURL := strings.TrimSpace(evalString(t, ctx, `document.getElementById("new-feed-url").textContent`))
	if !strings.HasPrefix(feedURL, base+"/feeds/changes.atom?key=cwf_") {
		t.Fatalf("feed address %q", feedURL)
	}
	f, err := gofeed.NewParser().ParseURL(feedURL)
	if err != nil {
		t.Fatalf("reading the feed as a reader would: %v", err)
	}
	if len(f.Items) == 0 || f.Items[0].Title != "Flux de suivi" || f.Items[0].Authors[0].Name != "Camille Martin" {
		t.Fatalf("feed entries: %d, first %+v", len(f.Items), f.Items[0])
	}

	step(t, ctx, "revoking it", load(chromedp.Click(chromedp.CSS(`form[action="/settings/feedkey/revoke"] button`))))
	waitFor(t, ctx, "the settings without a key", `!!document.getElementById("feeds-title") && !document.getElementById("new-feed-url") && !document.getElementById("feedkey-since")`)
	resp, err := http.Get(feedURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("revoked key: %d", resp.StatusCode)
	}
}
