package wiki

import (
	"context"
	"hash/fnv"
	"strconv"
)

// readWatched reads the changes of a watchlist feed, up to the log's
// state st: those to what actor watches and may read, within the
// watchlist's bounds. It returns a digest of what is watched, which the
// feed's tag holds: watching or unwatching changes the feed, not the log.
func (f *Feed) readWatched(ctx context.Context, actor *User, q FeedQuery, readable NamespaceSet, st LogState) (string, error) {
	set, ws, err := f.s.watchSetOf(ctx, actor, readable)
	if err != nil {
		return "", err
	}
	h := fnv.New64a()
	for _, w := range ws {
		h.Write([]byte(w.Namespace + "\x00" + w.Path.String() + "\x00"))
	}
	digest := strconv.Itoa(len(ws)) + "-" + strconv.FormatUint(h.Sum64(), 36)
	// What is watched dates the feed as much as the log does.
	if f.watchesChanged, err = f.s.store.WatchesChanged(ctx, actor.Login); err != nil {
		return "", err
	}
	if set.empty() {
		return digest, nil
	}
	chs, _, err := f.s.watchedChanges(ctx, set, q.Limit, st.Seq+1)
	if err != nil {
		return "", err
	}
	for _, c := range chs {
		f.Changes = append(f.Changes, c.Change)
	}
	return digest, nil
}
