// Package mapped gives back to the kernel the resident pages of read-only
// file mappings: the store's data file (bbolt) and the search index's
// segments (zap) are memory-mapped, and every page a read touched stays
// counted in the process's resident memory until the file is unmapped,
// although the kernel's page cache holds the same bytes. Releasing them
// drops them from the process, not from the page cache: the next read
// maps them again, without reading the disk while the kernel keeps them.
package mapped

// Release drops the resident pages of this process's read-only shared
// mappings of the named files. Other mappings (writable or private ones,
// whose pages may hold the only copy of something) are never touched.
// The mappings are advised random access, and the first release of a
// file also writes it back and drops its pages from the page cache: read
// again, the file comes back one page per fault, rather than in the large
// folios a write or a readahead left, each mapped whole by a fault.
//
// The caller must keep the mappings in place during the call (a bbolt read
// transaction, a snapshot of the index holding its segments): advice given
// to an address range unmapped meanwhile and mapped again for something
// else would drop that thing's pages. On systems other than Linux it does
// nothing.
func Release(files ...string) error { return release(files) }

// ReleaseRange drops the resident pages of [addr, addr+n), a read-only
// shared mapping of a file that Release has seen once already (so that
// its pages come back one at a time), and advises it random access. It
// costs two system calls, not a read of /proc/self/maps: the store calls
// it far more often than Release. The caller keeps the mapping in place
// during the call, as for Release. On systems other than Linux it does
// nothing.
func ReleaseRange(addr, n uintptr) error { return releaseRange(addr, n) }

// WriteBack writes back the named files that Release has not seen yet,
// before a caller takes what Release needs held: the first release of a
// file writes it back before dropping its pages, and on a file just
// copied in (a store restored from a backup) that takes seconds, too long
// to hold a store's read transaction (a commit that grows the file waits
// for them all). Later calls do nothing for those files. On systems
// other than Linux it does nothing.
func WriteBack(files ...string) { writeBack(files) }

// Resident returns how many bytes of this process's file mappings whose
// path match accepts are resident, as the system counts them in VmRSS
// (/proc/self/smaps). On systems other than Linux it returns 0.
func Resident(match func(path string) bool) (int64, error) { return resident(match) }

// PageExecutable makes the running program's code and constants resident
// page by page rather than in the page cache's large folios (see
// pageExecutable), so that its resident memory counts the pages it runs,
// not the whole binary. On systems other than Linux it does nothing.
func PageExecutable() error { return pageExecutable() }
