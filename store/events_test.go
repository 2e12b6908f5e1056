package store

import (
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Entries written before the log held other nouns than pages carry no
// subject: they still read as the page changes they are, and an event
// reads back with its subject and no path.
func TestDecodeChange_Kinds(t *testing.T) {
	t.Parallel()
	key := seqKey(7)
	t.Run("an entry written before events", func(t *testing.T) {
		old := append([]byte{jsonFormat1}, `{"p":"usages/a","r":2,"k":"edit","a":"alice","t":1000,"s":"typo"}`...)
		ch, err := decodeChange(key, old)
		if err != nil || !ch.Kind.IsPage() || ch.Path.String() != "usages/a" || ch.Rev != 2 || ch.Subject != "" || ch.Seq != 7 {
			t.Fatalf("decodeChange = %+v, %v", ch, err)
		}
	})
	t.Run("an event", func(t *testing.T) {
		ev := wiki.Change{Seq: 7, Kind: wiki.KindUserUpdate, Subject: "alice", Summary: "role"}
		ch, err := decodeChange(key, encodeChange(ev))
		if err != nil || ch.Kind != ev.Kind || ch.Subject != "alice" || ch.Summary != "role" || !ch.Path.IsZero() {
			t.Fatalf("decodeChange = %+v, %v", ch, err)
		}
	})
	t.Run("a page change without its path is damage", func(t *testing.T) {
		bad := append([]byte{jsonFormat1}, `{"p":"","r":1,"k":"create","a":"alice","t":1}`...)
		if _, err := decodeChange(key, bad); err == nil {
			t.Fatal("a page change without a path decoded")
		}
	})
}
