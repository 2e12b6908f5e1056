package store

// SnapshotEvery exposes the snapshot spacing to the black-box tests, which
// check that every multiple of it stays a full text.
const SnapshotEvery = snapshotEvery
