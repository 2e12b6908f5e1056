package wiki_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestService_Drafts(t *testing.T) {
	f := newFixture(t, wiki.Config{ReadRule: hideMarches})
	other := f.user(t, "marie", wiki.RoleEditor)
	ext := f.user(t, "ext", wiki.RoleEditor)
	p := wiki.MustPath("usages/a")
	f.save(t, "usages/a", "# A\n\nun\n", 0)
	if _, err := f.svc.SaveDraft(f.ctx, f.editor, p, "# A\n\nun deux\r\n", 1); err != nil {
		t.Fatal(err)
	}
	t.Run("the member reads it back", func(t *testing.T) {
		d, err := f.svc.DraftOf(f.ctx, f.editor, p)
		if err != nil || d.Markdown != "# A\n\nun deux\n" || d.BaseRev != 1 {
			t.Fatalf("DraftOf = %+v, %v", d, err)
		}
	})
	t.Run("nobody else does", func(t *testing.T) {
		if _, err := f.svc.DraftOf(f.ctx, other, p); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("another member's DraftOf: %v", err)
		}
		if ds, _ := f.svc.MyDrafts(f.ctx, other); len(ds) != 0 {
			t.Fatalf("another member lists %+v", ds)
		}
	})
	t.Run("refused input", func(t *testing.T) {
		for name, err := range map[string]error{
			"reader":        second(f.svc.SaveDraft(f.ctx, f.reader, p, "x", 1)),
			"anonymous":     second(f.svc.SaveDraft(f.ctx, nil, p, "x", 1)),
			"negative base": second(f.svc.SaveDraft(f.ctx, f.editor, p, "x", -1)),
			"not utf-8":     second(f.svc.SaveDraft(f.ctx, f.editor, p, "\xff", 1)),
			"too large":     second(f.svc.SaveDraft(f.ctx, f.editor, p, strings.Repeat("a", wiki.DefaultMaxPageBytes+1), 1)),
			"hidden ns":     second(f.svc.SaveDraft(f.ctx, ext, wiki.MustPath("marches/m"), "x", 0)),
		} {
			if err == nil {
				t.Errorf("%s: saved", name)
			}
		}
		if d, _ := f.svc.DraftOf(f.ctx, f.editor, p); d.Markdown != "# A\n\nun deux\n" {
			t.Errorf("a refused draft replaced the draft: %+v", d)
		}
	})
	t.Run("listed while readable", func(t *testing.T) {
		if _, err := f.svc.SaveDraft(f.ctx, ext, wiki.MustPath("club/b"), "b", 0); err != nil {
			t.Fatal(err)
		}
		ds, err := f.svc.MyDrafts(f.ctx, ext)
		if err != nil || len(ds) != 1 || ds[0].Path.String() != "club/b" {
			t.Fatalf("MyDrafts = %+v, %v", ds, err)
		}
	})
	t.Run("the member's save drops it, another's does not", func(t *testing.T) {
		if _, err := f.svc.SaveDraft(f.ctx, other, p, "# A\n\nmarie\n", 1); err != nil {
			t.Fatal(err)
		}
		f.save(t, "usages/a", "# A\n\nun deux\n", 1)
		if _, err := f.svc.DraftOf(f.ctx, f.editor, p); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("the draft outlived the save: %v", err)
		}
		if d, err := f.svc.DraftOf(f.ctx, other, p); err != nil || d.Markdown != "# A\n\nmarie\n" {
			t.Fatalf("Marie's draft: %+v, %v", d, err)
		}
	})
	t.Run("dropped on demand", func(t *testing.T) {
		if err := f.svc.DropDraft(f.ctx, other, p); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.DraftOf(f.ctx, other, p); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("after DropDraft: %v", err)
		}
	})
}

func second[T any](_ T, err error) error { return err }

func TestService_Heartbeat(t *testing.T) {
	now := time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)
	f := newFixture(t, wiki.Config{ReadRule: hideMarches, Now: func() time.Time { return now }})
	marie := f.user(t, "marie", wiki.RoleEditor)
	ext := f.user(t, "ext", wiki.RoleEditor)
	f.save(t, "usages/a", "# A\n\nun\n", 0)
	p := wiki.MustPath("usages/a")
	beat := func(t *testing.T, u *wiki.User, unsaved bool) wiki.Presence {
		t.Helper()
		pr, err := f.svc.Heartbeat(f.ctx, u, p, unsaved, false)
		if err != nil {
			t.Fatal(err)
		}
		return pr
	}
	t.Run("others only, with since and unsaved", func(t *testing.T) {
		if pr := beat(t, f.editor, false); len(pr.Editors) != 0 || pr.HeadRev != 1 {
			t.Fatalf("alone: %+v", pr)
		}
		opened := now
		now = now.Add(30 * time.Second)
		pr := beat(t, marie, true)
		if len(pr.Editors) != 1 || pr.Editors[0].Login != "camille" || !pr.Editors[0].Since.Equal(opened) || pr.Editors[0].Unsaved {
			t.Fatalf("Marie sees %+v", pr)
		}
		pr = beat(t, f.editor, false)
		if len(pr.Editors) != 1 || pr.Editors[0].Login != "marie" || !pr.Editors[0].Unsaved || pr.Editors[0].Name != "marie" {
			t.Fatalf("Camille sees %+v", pr)
		}
	})
	t.Run("the head revision comes with it", func(t *testing.T) {
		if _, err := f.svc.Save(f.ctx, marie, wiki.SaveRequest{Path: p, Markdown: "# A\n\ndeux\n", BaseRev: 1}); err != nil {
			t.Fatal(err)
		}
		if pr := beat(t, f.editor, false); pr.HeadRev != 2 {
			t.Fatalf("HeadRev = %d", pr.HeadRev)
		}
	})
	t.Run("forgotten after two minutes without a call", func(t *testing.T) {
		now = now.Add(wiki.PresenceTTL - time.Second)
		beat(t, f.editor, false)
		if pr := beat(t, f.editor, false); len(pr.Editors) != 1 {
			t.Fatalf("Marie forgotten too early: %+v", pr)
		}
		now = now.Add(time.Second)
		if pr := beat(t, f.editor, false); len(pr.Editors) != 0 {
			t.Fatalf("Marie still shown after %v: %+v", wiki.PresenceTTL, pr)
		}
		if pr := beat(t, marie, false); len(pr.Editors) != 1 || pr.Editors[0].Login != "camille" {
			t.Fatalf("Camille, who kept calling, is gone: %+v", pr)
		}
	})
	t.Run("leaving", func(t *testing.T) {
		if _, err := f.svc.Heartbeat(f.ctx, marie, p, false, true); err != nil {
			t.Fatal(err)
		}
		if pr := beat(t, f.editor, false); len(pr.Editors) != 0 {
			t.Fatalf("Marie left but shows: %+v", pr)
		}
	})
	t.Run("gated by read permission", func(t *testing.T) {
		if _, err := f.svc.Heartbeat(f.ctx, ext, wiki.MustPath("marches/m"), false, false); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("hidden namespace: %v", err)
		}
		if _, err := f.svc.Heartbeat(f.ctx, nil, p, false, false); wiki.ErrorCode(err) != wiki.EUnauthenticated {
			t.Fatalf("anonymous: %v", err)
		}
		if pr := beat(t, f.reader, false); len(pr.Editors) != 1 {
			t.Fatalf("a reader sees %+v", pr)
		}
	})
}

func TestService_SaveSection(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	marie := f.user(t, "marie", wiki.RoleEditor)
	p := wiki.MustPath("usages/s")
	f.save(t, "usages/s", "# S\n\nIntro.\n\n## Un\n\nPremier.\n\n## Deux\n\nSecond.\n", 0)
	got, err := f.svc.EditSection(f.ctx, f.editor, p, 1, 3)
	if err != nil || got != "## Deux\n\nSecond.\n" {
		t.Fatalf("EditSection = %q, %v", got, err)
	}
	// Marie changes section 2 meanwhile; the section save merges.
	if _, err := f.svc.Save(f.ctx, marie, wiki.SaveRequest{Path: p, BaseRev: 1, Markdown: "# S\n\nIntro.\n\n## Un\n\nPremier, revu.\n\n## Deux\n\nSecond.\n"}); err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: p, BaseRev: 1, Section: 3, Markdown: "## Deux\n\nSecond, complété."})
	if err != nil || !res.Merged || res.Rev != 3 {
		t.Fatalf("section save = %+v, %v", res, err)
	}
	if got, want := f.text(t, "usages/s", 0), "# S\n\nIntro.\n\n## Un\n\nPremier, revu.\n\n## Deux\n\nSecond, complété."; got != want {
		t.Fatalf("page = %q, want %q", got, want)
	}
	for name, req := range map[string]wiki.SaveRequest{
		"no such section": {Path: p, BaseRev: 3, Section: 9, Markdown: "x"},
		"no base":         {Path: p, BaseRev: 0, Section: 1, Markdown: "x"},
		"future base":     {Path: p, BaseRev: 9, Section: 1, Markdown: "x"},
	} {
		if _, err := f.svc.Save(f.ctx, f.editor, req); wiki.ErrorCode(err) != wiki.EInvalid {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestService_Rebase(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	p := wiki.MustPath("usages/r")
	f.save(t, "usages/r", "# R\n\nUn.\n\nDeux.\n", 0)
	f.save(t, "usages/r", "# R\n\nUn, revu.\n\nDeux.\n", 1)
	t.Run("merged onto the head", func(t *testing.T) {
		rb, err := f.svc.Rebase(f.ctx, f.editor, p, 1, "# R\n\nUn.\n\nDeux, complété.\n")
		if err != nil || rb.Conflicts != 0 || rb.HeadRev != 2 || !rb.Changed || rb.Markdown != "# R\n\nUn, revu.\n\nDeux, complété.\n" {
			t.Fatalf("Rebase = %+v, %v", rb, err)
		}
	})
	t.Run("a conflict leaves the text alone", func(t *testing.T) {
		rb, err := f.svc.Rebase(f.ctx, f.editor, p, 1, "# R\n\nUn, autrement.\n\nDeux.\n")
		if err != nil || rb.Conflicts == 0 || rb.HeadRev != 1 || rb.Markdown != "# R\n\nUn, autrement.\n\nDeux.\n" {
			t.Fatalf("Rebase = %+v, %v", rb, err)
		}
	})
	t.Run("nothing to merge at the head", func(t *testing.T) {
		rb, err := f.svc.Rebase(f.ctx, f.editor, p, 2, "x")
		if err != nil || rb.Changed || rb.HeadRev != 2 || rb.Markdown != "x" {
			t.Fatalf("Rebase = %+v, %v", rb, err)
		}
	})
	t.Run("bad base", func(t *testing.T) {
		if _, err := f.svc.Rebase(f.ctx, f.editor, p, 3, "x"); wiki.ErrorCode(err) != wiki.EInvalid {
			t.Fatalf("Rebase from 3: %v", err)
		}
	})
	t.Run("the diff of a text", func(t *testing.T) {
		d, err := f.svc.DiffText(f.ctx, f.editor, p, 0, "# R\n\nUn, revu.\n\nTrois.\n", 0)
		if err != nil || d.Rev != 2 {
			t.Fatalf("DiffText = %+v, %v", d, err)
		}
		var old, new strings.Builder
		for _, s := range d.Words.Segments() {
			if s.Op != wiki.SegInsert {
				old.WriteString(s.Text)
			}
			if s.Op != wiki.SegDelete {
				new.WriteString(s.Text)
			}
		}
		if old.String() != "# R\n\nUn, revu.\n\nDeux.\n" || new.String() != "# R\n\nUn, revu.\n\nTrois.\n" {
			t.Fatalf("segments give %q and %q", old.String(), new.String())
		}
	})
}
