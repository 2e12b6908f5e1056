package store

import (
	"encoding/binary"
	"fmt"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// Bucket names. Keys are described next to each one; 0x00 separates the parts
// of composite keys because it sorts before every byte a canonical path or a
// login may contain, which makes "everything of X" a prefix scan.
var (
	bucketMeta       = []byte("meta")       // "schema" → big-endian uint32, "id" → store identity
	bucketNamespaces = []byte("namespaces") // key → namespaceRecord
	bucketPages      = []byte("pages")      // path → head record
	bucketRevisions  = []byte("revisions")  // path 0x00 BE uint32 rev → revision record
	bucketLinks      = []byte("links")      // from path → targets, '\n'-separated
	bucketBacklinks  = []byte("backlinks")  // target 0x00 from → empty
	bucketChanges    = []byte("changes")    // BE uint64 seq → changeRecord
	bucketCounts     = []byte("counts")     // namespace key → BE uint64 live pages
	bucketUsers      = []byte("users")      // login → userRecord
	bucketTokens     = []byte("tokens")     // SHA-256 of secret → tokenRecord
	bucketUserTokens = []byte("usertokens") // login 0x00 token ID → SHA-256
	bucketSessions   = []byte("sessions")   // SHA-256 of secret → sessionRecord
	bucketTexts      = []byte("texts")      // path 0x00 BE uint32 rev → full text of a format-4 revision
	bucketVisits     = []byte("visits")     // login 0x00 path → BE uint32 rev last viewed
	bucketWatches    = []byte("watches")    // login 0x00 'n' ns | login 0x00 'p' path → empty; login 0x00 's' → settings
	bucketFeedKeys   = []byte("feedkeys")   // SHA-256 of secret → feedKeyRecord
	bucketFeedOwners = []byte("feedowners") // login → SHA-256 of their feed key's secret
	bucketDrafts     = []byte("drafts")     // login 0x00 path → draftRecord
	bucketGroups     = []byte("groups")     // group name → groupRecord
	bucketRules      = []byte("rules")      // namespace key → rulesRecord
	bucketNotify     = []byte("notify")     // login → notifyRecord (members who chose)
	bucketOutbox     = []byte("outbox")     // login 0x00 BE uint64 seq → noticeRecord
	// bucketTitles (titles.go): wiki.TitleKey(title) 0x00 path → empty
	// bucketFiles, bucketFileRevs, bucketFileBlobs, bucketFilePending (files.go): attachments
)

var keySchema = []byte("schema")

// migration brings the schema from version-1 to version. Migrations run in
// order, all in the transaction of Open, so a file is never left between two
// versions.
type migration struct {
	version int
	what    string
	apply   func(tx *bolt.Tx) error
}

// migrations is append-only: a released migration is never edited, a change
// is a new entry.
var migrations = []migration{
	{1, "create the buckets", func(tx *bolt.Tx) error {
		for _, name := range [][]byte{
			bucketMeta, bucketNamespaces, bucketPages, bucketRevisions,
			bucketLinks, bucketBacklinks, bucketChanges, bucketCounts,
			bucketUsers, bucketTokens, bucketUserTokens,
		} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	}},
	{2, "add web sessions", func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketSessions)
		return err
	}},
	{3, "give the store an identity", createStoreID},
	{4, "keep full revision texts in a bucket of their own", createTexts},
	{5, "add reviewed marks and members' preferences", createReviews},
	{6, "remember the revision each member last viewed", createVisits},
	{7, "keep what each member watches", createWatches},
	{8, "add feed keys", createFeedKeys},
	{9, "add groups and namespace rules", createGroups},
	{10, "keep the members' drafts", createDrafts},
	{11, "add e-mail notifications and their outbox", createNotify},
	{12, "remember where moved pages went", createMoves},
	{13, "index pages by title", createTitles},
	{14, "link single sign-on identities to members", createSSOLinks},
	{15, "keep the pages' attachments", createFiles},
	{16, "add invitations, password resets and the audit log", createTickets},
}

// SchemaVersion is the schema this binary writes.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// schemaVersion reads the version stored in tx; 0 for a new file.
func schemaVersion(tx *bolt.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0, nil
	}
	v := meta.Get(keySchema)
	if len(v) != 4 {
		return 0, fmt.Errorf("schema version record has %d bytes, want 4", len(v))
	}
	return int(binary.BigEndian.Uint32(v)), nil
}

func setSchemaVersion(tx *bolt.Tx, v int) error {
	return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, uint32(v)))
}

// migrate refuses a file from a newer clubwiki (writing into it could
// destroy what this binary does not understand) and applies the missing
// migrations.
func (db *DB) migrate(tx *bolt.Tx) error {
	cur, err := schemaVersion(tx)
	if err != nil {
		return wiki.Internal(err, fmt.Sprintf("reading the schema version of %s", db.path))
	}
	if cur > SchemaVersion() {
		return &wiki.Error{
			Code: wiki.EInternal,
			Message: fmt.Sprintf("the data file %s has schema version %d but this clubwiki knows only up to %d: use a newer clubwiki",
				db.path, cur, SchemaVersion()),
			Err: ErrNewerSchema,
		}
	}
	for _, m := range migrations {
		if m.version <= cur {
			continue
		}
		if err := m.apply(tx); err != nil {
			return wiki.Internal(err, fmt.Sprintf("schema migration %d (%s)", m.version, m.what))
		}
		if err := setSchemaVersion(tx, m.version); err != nil {
			return wiki.Internal(err, fmt.Sprintf("recording schema version %d", m.version))
		}
	}
	return nil
}
