package wiki_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestError_Reason checks that the domain names the rule behind its
// refusals, and that a conflict is an error coded like the others.
func TestError_Reason(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	check := func(t *testing.T, err error, code wiki.Code, reason wiki.Reason, args ...any) {
		t.Helper()
		r, got := wiki.ErrorReason(err)
		if wiki.ErrorCode(err) != code || r != reason {
			t.Fatalf("%v: code %s, reason %q; want %s, %q", err, wiki.ErrorCode(err), r, code, reason)
		}
		if len(got) != len(args) {
			t.Fatalf("args %v, want %v", got, args)
		}
		for i := range args {
			if got[i] != args[i] {
				t.Errorf("arg %d = %v, want %v", i, got[i], args[i])
			}
		}
	}
	t.Run("password too short, before the current one is checked", func(t *testing.T) {
		err := f.svc.ChangePassword(f.ctx, f.editor, "pas le bon", "court", "")
		check(t, err, wiki.EInvalid, wiki.ReasonPasswordTooShort, wiki.MinPasswordBytes)
	})
	t.Run("password too long", func(t *testing.T) {
		err := f.svc.ChangePassword(f.ctx, f.editor, "un mot de passe long", strings.Repeat("x", 73), "")
		check(t, err, wiki.EInvalid, wiki.ReasonPasswordTooLong, 72)
	})
	t.Run("current password wrong", func(t *testing.T) {
		err := f.svc.ChangePassword(f.ctx, f.editor, "pas le bon", "nouveau mot de passe", "")
		check(t, err, wiki.EInvalid, wiki.ReasonPasswordWrong)
	})
	t.Run("summary of two lines", func(t *testing.T) {
		_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath("club/note"), Markdown: "Texte.\n", Summary: "un\ndeux"})
		check(t, err, wiki.EInvalid, wiki.ReasonSummaryControlChar)
	})
	t.Run("broken front matter", func(t *testing.T) {
		_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath("club/note"), Markdown: "---\ntags: [\n---\nTexte.\n"})
		check(t, err, wiki.EInvalid, wiki.ReasonFrontMatterInvalid)
	})
	t.Run("unknown namespace", func(t *testing.T) {
		_, err := f.svc.ResolvePath(f.ctx, "nulle-part/page")
		check(t, err, wiki.EInvalid, wiki.ReasonNamespaceUnknown)
	})
	t.Run("conflict", func(t *testing.T) {
		f.save(t, "club/conflit", "Un.\n", 0)
		_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath("club/conflit"), Markdown: "Deux.\n"})
		check(t, err, wiki.EConflict, wiki.ReasonPageChanged, 0, 1)
		var we *wiki.Error
		if !errors.As(err, &we) || we.Message != wiki.ErrorMessage(err) || we.Message == "" {
			t.Errorf("a conflict is not seen as an *Error with its message: %v", we)
		}
		if !errors.As(err, new(*wiki.ConflictError)) {
			t.Error("the conflict's own fields are lost")
		}
	})
}
