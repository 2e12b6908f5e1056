package wiki

import (
	"errors"
	"fmt"
)

// Code classifies an error for callers: the HTTP layer maps each code to one
// status and the CLI to one message. The string values are those of the JSON
// API's error shape.
type Code string

// The error vocabulary shared by every layer.
const (
	EInvalid         Code = "bad_request"
	EUnauthenticated Code = "unauthenticated"
	EForbidden       Code = "forbidden"
	ENotFound        Code = "not_found"
	EConflict        Code = "edit_conflict"
	ETooLarge        Code = "too_large"
	ERateLimited     Code = "rate_limited"
	// EUnavailable: the wiki is too busy for this request right now (for
	// example every search slot is taken); the client may retry later.
	EUnavailable Code = "unavailable"
	// EStorageFull: the disk holding the data folder is full; nothing was
	// written, and saving works again once space is freed.
	EStorageFull Code = "insufficient_storage"
	EInternal    Code = "internal"
	// ENotImplemented: the contract names the call but its use case is not
	// written yet.
	ENotImplemented Code = "not_implemented"
	// EMethodNotAllowed: the path exists but not with this method.
	EMethodNotAllowed Code = "method_not_allowed"
	// EExists: a page is already where a move would put one (409).
	EExists Code = "exists"
	// EInvalidMeta: a field of a typed page has a value its type does not
	// allow (400); the error names the field.
	EInvalidMeta Code = "invalid_meta"
)

// Reason says which rule refused a request, finer than its Code, so that an
// interface can word every refusal in its own language without repeating
// the rule. The values are stable: the JSON API sends them and the web
// interface's catalogues key their wordings by them ("reason.<value>").
type Reason string

// The reasons the domain gives. Args of an *Error carry what the wording
// needs, in the order given here.
const (
	ReasonPasswordTooShort   Reason = "password_too_short"   // MinPasswordBytes
	ReasonPasswordTooLong    Reason = "password_too_long"    // the maximum in bytes
	ReasonPasswordWrong      Reason = "password_wrong"       // the current password
	ReasonLoginInvalid       Reason = "login_invalid"        // characters of a new login
	ReasonLoginTaken         Reason = "login_taken"          // a new login already used
	ReasonRoleUnknown        Reason = "role_unknown"         // not reader, editor or admin
	ReasonTextNotUTF8        Reason = "text_not_utf8"        // a page's text
	ReasonTextControlChar    Reason = "text_control_char"    // a binary file, most likely
	ReasonPageTooLarge       Reason = "page_too_large"       // the limit in bytes
	ReasonSummaryNotUTF8     Reason = "summary_not_utf8"     // an edit summary
	ReasonSummaryControlChar Reason = "summary_control_char" // a summary is one line
	ReasonSummaryTooLong     Reason = "summary_too_long"     // MaxSummaryBytes
	ReasonFrontMatterInvalid Reason = "front_matter_invalid" // YAML between the --- lines
	ReasonNamespaceUnknown   Reason = "namespace_unknown"    // a path's first segment
	ReasonPathInvalid        Reason = "path_invalid"         // no namespace and name
	ReasonPageChanged        Reason = "page_changed"         // base and head revisions
	ReasonSectionMissing     Reason = "section_missing"      // the page's number of sections
	ReasonEmailInvalid       Reason = "email_invalid"        // a member's e-mail address
	ReasonEmailNeeded        Reason = "email_needed"         // notifications without an address
	ReasonNotifyMode         Reason = "notify_mode"          // not off, immediate or daily
	ReasonNameInvalid        Reason = "name_invalid"         // a member's display name
	ReasonProjectInvalid     Reason = "project_invalid"      // the bound in bytes
	ReasonBioInvalid         Reason = "bio_invalid"          // control characters
	ReasonBioTooLong         Reason = "bio_too_long"         // MaxBioRunes
	ReasonPageExists         Reason = "page_exists"          // the path a move goes to
	ReasonPageDeletedThere   Reason = "page_deleted_there"   // the path a move goes to
	ReasonMoveIntoItself     Reason = "move_into_itself"     // the path a move goes to
	ReasonMoveTooMany        Reason = "move_too_many"        // the bound on pages
	ReasonTooManyWrites      Reason = "too_many_writes"      // the seconds to wait
	ReasonFileNameInvalid    Reason = "file_name_invalid"    // an attachment's name
	ReasonFileTypeMismatch   Reason = "file_type_mismatch"   // the name's extension, the type found
	ReasonFileTooLarge       Reason = "file_too_large"       // the limit in bytes
	ReasonTicketInvalid      Reason = "ticket_invalid"       // an invitation or reset link
	ReasonTicketUsed         Reason = "ticket_used"          // an invitation or reset link
	ReasonTicketExpired      Reason = "ticket_expired"       // an invitation or reset link
	ReasonMetaInvalid        Reason = "meta_invalid"         // the field, its line, the allowed values
)

// Reasons lists every Reason, for the catalogues' completeness test.
var Reasons = []Reason{
	ReasonPasswordTooShort, ReasonPasswordTooLong, ReasonPasswordWrong,
	ReasonLoginInvalid, ReasonLoginTaken, ReasonRoleUnknown,
	ReasonTextNotUTF8, ReasonTextControlChar, ReasonPageTooLarge,
	ReasonSummaryNotUTF8, ReasonSummaryControlChar, ReasonSummaryTooLong,
	ReasonFrontMatterInvalid, ReasonNamespaceUnknown, ReasonPathInvalid,
	ReasonPageChanged, ReasonSectionMissing,
	ReasonEmailInvalid, ReasonEmailNeeded, ReasonNotifyMode, ReasonNameInvalid,
	ReasonProjectInvalid, ReasonBioInvalid, ReasonBioTooLong,
	ReasonPageExists, ReasonPageDeletedThere,
	ReasonMoveIntoItself, ReasonMoveTooMany,
	ReasonTooManyWrites,
	ReasonFileNameInvalid, ReasonFileTypeMismatch, ReasonFileTooLarge,
	ReasonTicketInvalid, ReasonTicketUsed, ReasonTicketExpired,
	ReasonTooManyWrites, ReasonMetaInvalid,
}

// Error is an error that carries a Code and a message fit for users. Err, when
// set, is the underlying cause; it is never shown to users.
type Error struct {
	Code    Code
	Message string
	Err     error
	// Line is the line of the page's text at fault (from 1) when the
	// error is about one, for example a broken front matter; else 0.
	Line int
	// Field is the front matter key at fault, for EInvalidMeta.
	Field string
	// Reason is the rule that refused, when the domain names one; Args are
	// the values its wording needs (see the Reason constants).
	Reason Reason
	Args   []any
}

// Because sets the reason of e and the arguments of its wording, and
// returns e, so that a refusal reads Errorf(…).Because(…).
func (e *Error) Because(r Reason, args ...any) *Error {
	e.Reason, e.Args = r, args
	return e
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause so errors.Is/As see through an *Error.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure; msg says what was being done.
func Internal(err error, msg string) *Error {
	return &Error{Code: EInternal, Message: msg, Err: err}
}

// ErrorCode returns the code of err: the code of the first *Error in its chain,
// EInternal for any other non-nil error, "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorReason returns the reason of the first *Error in err's chain and the
// arguments of its wording; "" when there is none.
func ErrorReason(err error) (Reason, []any) {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason, e.Args
	}
	return "", nil
}

// ErrorMessage returns the user-facing message of err. Internal errors get a
// generic message so that Go error strings never reach users.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EInternal {
		return e.Message
	}
	return "internal error"
}

// ConflictError is returned when an edit cannot be applied because the page
// changed since the revision the edit started from.
type ConflictError struct {
	Path    Path
	BaseRev int
	HeadRev int
	// Merge is the edit merged onto the head: the text both agree on and
	// the regions where they overlap.
	Merge Merge
	// ConflictMarkdown is Merge written as one text (Merge.Markdown), each
	// overlapping region between "<<<<<<< yours", "=======" and
	// ">>>>>>> revision N" lines.
	ConflictMarkdown string
}

// newConflict returns the conflict of an edit of p from revision base
// with the head at revision head, m being the edit merged onto the head.
func newConflict(p Path, base, head int, m Merge) *ConflictError {
	return &ConflictError{Path: p, BaseRev: base, HeadRev: head, Merge: m, ConflictMarkdown: m.Markdown(head)}
}

func (c *ConflictError) Error() string {
	return fmt.Sprintf("the page %s changed since revision %d (now at revision %d)", c.Path, c.BaseRev, c.HeadRev)
}

// As lets errors.As see a conflict as an *Error with the code EConflict, so
// that it is classified, worded and given a reason like every other error;
// the conflict's own fields stay reachable as a *ConflictError.
func (c *ConflictError) As(target any) bool {
	e, ok := target.(**Error)
	if ok {
		*e = &Error{Code: EConflict, Message: c.Error(), Reason: ReasonPageChanged, Args: []any{c.BaseRev, c.HeadRev}}
	}
	return ok
}

// ErrStaleHead is returned by a Store when a commit's ExpectRev no longer
// matches the page head: another commit won the race. The use case re-reads
// and tries again.
var ErrStaleHead = errors.New("page head moved during commit")
