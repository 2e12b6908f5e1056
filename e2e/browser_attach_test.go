package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/kdecole-club/clubwiki/testdata/docs"
	domain "github.com/kdecole-club/clubwiki/wiki"
)

// pasteScreenshot draws an image in the page and pastes it into the
// editor's text as a screenshot taken with the system's tool would be.
const pasteScreenshot = `(async () => {
  const c = document.createElement("canvas");
  c.width = 40; c.height = 20;
  const g = c.getContext("2d");
  g.fillStyle = "#c33"; g.fillRect(0, 0, 40, 20);
  const blob = await new Promise(r => c.toBlob(r, "image/png"));
  const dt = new DataTransfer();
  dt.items.add(new File([blob], "image.png", { type: "image/png" }));
  const t = document.getElementById("markdown");
  t.focus(); t.setSelectionRange(t.value.length, t.value.length);
  t.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  return true;
})()`

// TestBrowser_PasteScreenshot: Camille pastes a screenshot into the
// editor; it is uploaded to the page and inserted as an image by its bare
// name, which the saved page shows inline; then she attaches a PDF with
// the page's button and it is listed.
func TestBrowser_PasteScreenshot(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerWith(t)
	ctx := newBrowser(t)
	signInAs(t, ctx, base, "camille")
	step(t, ctx, "opening the editor of a new page", chromedp.Navigate(base+"/edit/usages/ecran-noir"),
		chromedp.WaitVisible(chromedp.ID("editor-files")),
		typeAtEnd("markdown", "# Écran noir\n\nVoici la capture :\n\n"))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](pasteScreenshot, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("pasting: %v", err)
	}
	waitFor(t, ctx, "the image inserted", `/!\[\]\(capture-\d{8}-\d{6}\.png\)/.test(document.getElementById("markdown").value)`)
	step(t, ctx, "saving", chromedp.Focus(chromedp.ID("markdown")), ctrlS)
	wantLocation(t, ctx, "/wiki/usages/ecran-noir")
	waitFor(t, ctx, "the screenshot shown inline", `(() => { const i = document.querySelector(".content img"); return !!i && i.complete && i.naturalWidth === 40 && /^\/files\/usages\/ecran-noir\/capture-\d{8}-\d{6}\.png$/.test(i.getAttribute("src")); })()`)
	files, err := svc.Files(context.Background(), camille, domain.MustPath("usages/ecran-noir"))
	if err != nil || len(files) != 1 || files[0].Type != "image/png" {
		t.Fatalf("attachments = %+v, %v", files, err)
	}

	pdf := filepath.Join(t.TempDir(), "rapport.pdf")
	if err := os.WriteFile(pdf, docs.PDF("Rapport"), 0o600); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "attaching a PDF with the button", chromedp.WaitVisible(chromedp.CSS("#attachments .file-upload label")),
		chromedp.SetUploadFiles(chromedp.ID("file-input"), []string{pdf}))
	waitFor(t, ctx, "the PDF listed", `!!document.querySelector('#attachments tr[data-file="rapport.pdf"]')`)
}

// TestBrowser_HostileFiles: an HTML file and an SVG file holding scripts
// are uploaded; opening them, or showing the SVG as an image of the page,
// never runs their scripts in the wiki's origin.
func TestBrowser_HostileFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerWith(t)
	bg := context.Background()
	p := domain.MustPath("usages/piege")
	if _, err := svc.Save(bg, camille, domain.SaveRequest{Path: p, Markdown: "# Piège\n\n![](dessin.svg)\n\n[page](/files/usages/piege/page.html)\n"}); err != nil {
		t.Fatal(err)
	}
	// Each script, should it run with the member's session, leaves a
	// mark in the origin's storage and creates a page.
	script := `localStorage.setItem("pwned", "1"); fetch("/api/pages/usages/pirate", {method: "PUT", credentials: "same-origin", body: JSON.stringify({markdown: "pirate"})});`
	for name, body := range map[string]string{
		"page.html":  `<!DOCTYPE html><html><body><script>` + script + `</script><img src=x onerror='` + script + `'></body></html>`,
		"dessin.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload='` + script + `'><script>` + script + `</script></svg>`,
	} {
		if _, err := svc.PutFile(bg, camille, p, name, bytes.NewReader([]byte(body))); err != nil {
			t.Fatalf("uploading %s: %v", name, err)
		}
	}
	ctx := newBrowser(t)
	signInAs(t, ctx, base, "camille")
	step(t, ctx, "opening the page", chromedp.Navigate(base+"/wiki/usages/piege"), chromedp.WaitVisible(chromedp.CSS("#attachments")))
	for _, name := range []string{"page.html", "dessin.svg"} {
		// Served as a download, the navigation is aborted: its error is
		// what is expected. Had the file opened as a page, its scripts
		// would have run before its load event, and settled waits for
		// the requests they made too.
		if err := settled(ctx, chromedp.Navigate(base+"/files/usages/piege/"+name)); err != nil {
			var le *chromedp.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("opening %s: %v", name, err)
			}
		}
	}
	step(t, ctx, "back on the page", chromedp.Navigate(base+"/wiki/usages/piege"), chromedp.WaitVisible(chromedp.CSS("#attachments")))
	pwned, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`localStorage.getItem("pwned") !== null`))
	if err != nil || pwned {
		t.Fatalf("a script of an attachment ran: %v %v", pwned, err)
	}
	if _, err := svc.Page(bg, camille, domain.MustPath("usages/pirate"), 0); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("a script of an attachment created a page: %v", err)
	}
}

// settled runs a navigation and waits until the tab has no request
// unanswered: every request it started meanwhile, the navigation's own and
// those of the scripts of the page it opened, has had the server's answer
// (its headers: a fetch whose body no script reads never finishes
// loading) or has failed. A test that checks that a page did nothing to
// the server then knows that what it would have asked has been handled.
// It returns the navigation's error.
func settled(ctx context.Context, nav chromedp.Action[chromedp.Void]) error {
	var mu sync.Mutex
	open := map[network.RequestID]string{} // the URL, to tell which one is missing
	changed := make(chan struct{}, 1)
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := chromedp.Listen(lctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			open[ev.RequestID] = ev.Request.URL
		case *network.EventResponseReceived:
			delete(open, ev.RequestID)
		case *network.EventLoadingFinished:
			delete(open, ev.RequestID)
		case *network.EventLoadingFailed:
			delete(open, ev.RequestID)
		default:
			return
		}
		select {
		case changed <- struct{}{}:
		default:
		}
	}); err != nil {
		return err
	}
	// The tab's events reach the listener before the action that waits
	// for the load event returns, so the requests of the page's scripts,
	// started before that event, are counted by then.
	_, navErr := chromedp.Run(ctx, nav)
	for {
		mu.Lock()
		left := slices.Collect(maps.Values(open))
		mu.Unlock()
		if len(left) == 0 {
			return navErr
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("requests unanswered: %v: %w", left, ctx.Err())
		}
	}
}
