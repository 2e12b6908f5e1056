//go:build !unix

package main

// Without O_NOFOLLOW, import relies on the walk, which lists links as links
// and never reads them; the checks on the opened file still apply.
const openNoFollow = 0

func isLinkRefusal(error) bool { return false }
