package wiki_test

import (
	"bytes"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestService_Backup(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	var buf bytes.Buffer
	if _, err := f.svc.Backup(f.ctx, f.editor, &buf); wiki.ErrorCode(err) != wiki.EForbidden || buf.Len() != 0 {
		t.Errorf("editor: %v, %d bytes written", err, buf.Len())
	}
	if _, err := f.svc.Backup(f.ctx, nil, &buf); wiki.ErrorCode(err) != wiki.EUnauthenticated {
		t.Errorf("anonymous: %v", err)
	}
	admin := f.user(t, "alix", wiki.RoleAdmin)
	n, err := f.svc.Backup(f.ctx, admin, &buf)
	if err != nil || n == 0 || int64(buf.Len()) != n {
		t.Fatalf("admin: %d bytes (buffer %d), %v", n, buf.Len(), err)
	}
}
