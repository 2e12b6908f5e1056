package wiki

// FeedWordsHTML is wordsHTML, for the package's outside tests (which use
// textdiff, which imports this package).
var FeedWordsHTML = wordsHTML
