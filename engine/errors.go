package engine

import (
	"errors"
	"fmt"
)

// Code is an application error code: the one thing outside the core
// inspects about an error. The table in errtable.go gives each code its
// HTTP status, its exit status and its generic words; nothing else maps
// codes.
type Code string

// Application error codes. Their statuses live in the table
// (errtable.go), not here.
const (
	EINVALID      Code = "invalid"      // bad input the core refuses
	ENOTFOUND     Code = "not_found"    // unknown procedure, dossier, person, unit
	ECONFLICT     Code = "conflict"     // stale version, not allowed now
	EFORBIDDEN    Code = "forbidden"    // the actor may not do this
	EUNAUTHORIZED Code = "unauthorized" // not signed in
	ESTORAGEFULL  Code = "storage_full" // the disk or database is full
	EINTERNAL     Code = "internal"     // anything else; its text is never shown

	// The request's own problems, found before anything reaches the core.
	// They live here, beside the others, so that the one table can name
	// them without importing the HTTP layer.
	EBADREQUEST Code = "bad_request"        // a body that is not the JSON the endpoint takes
	ETOOLARGE   Code = "too_large"          // a body over the size limit
	EMETHOD     Code = "method_not_allowed" // a method the endpoint does not serve
	ELIMITED    Code = "rate_limited"       // refused by rate limiting (sign-in, lookup)
	// EUNSUPPORTED is a file whose bytes are of a type not accepted.
	EUNSUPPORTED Code = "unsupported_media_type"
)

// ErrorCode returns the application code of err, EINTERNAL for errors
// that carry none.
func ErrorCode(err error) Code {
	var c interface{ ErrorCode() Code }
	if errors.As(err, &c) {
		return c.ErrorCode()
	}
	return EINTERNAL
}

// NotFoundError reports an unknown procedure, dossier, person or unit.
type NotFoundError struct {
	What string // "procedure", "dossier", "person", "unit"
	ID   string
}

func (e *NotFoundError) Error() string   { return fmt.Sprintf("%s %q not found", e.What, e.ID) }
func (e *NotFoundError) ErrorCode() Code { return ENOTFOUND }

// UnknownActionError reports an action the procedure does not define.
type UnknownActionError struct {
	Procedure string
	Action    string
}

func (e *UnknownActionError) Error() string {
	return fmt.Sprintf("procedure %s has no action %q", e.Procedure, e.Action)
}
func (e *UnknownActionError) ErrorCode() Code { return EINVALID }

// NotAllowedError reports an action not allowed in the current state.
type NotAllowedError struct {
	Action string
	State  string
	// ActionName, StepName and StepNameEN, when set, name the action and
	// the step the dossier is at for people: a stale page's action is
	// told where the dossier now is, not its ids.
	ActionName, ActionNameEN string
	StepName, StepNameEN     string
}

func (e *NotAllowedError) Error() string {
	return fmt.Sprintf("action %q is not allowed in state %q", e.Action, e.State)
}
func (e *NotAllowedError) ErrorCode() Code { return ECONFLICT }

// ForbiddenError reports an actor outside the units allowed to act.
type ForbiddenError struct {
	Person string
	Units  []string // the units that may act
	Reason string
}

func (e *ForbiddenError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("%s may not act: %s", e.Person, e.Reason)
	}
	return fmt.Sprintf("%s may not act here: only members of %v may", e.Person, e.Units)
}
func (e *ForbiddenError) ErrorCode() Code { return EFORBIDDEN }

// MissingInputError reports required inputs the actor did not give.
type MissingInputError struct {
	Action string
	Inputs []string
}

func (e *MissingInputError) Error() string {
	return fmt.Sprintf("action %q requires input %v", e.Action, e.Inputs)
}
func (e *MissingInputError) ErrorCode() Code { return EINVALID }

// InvalidInputError reports an input with a bad value.
type InvalidInputError struct {
	Field  string
	Reason string
	// ReasonVI is Reason in Vietnamese; empty: Reason is shown in both.
	ReasonVI string
	// More are the other wrong inputs of the same request, in the order
	// of its form, when it checks them all (a reception names every wrong
	// field, not only the first); Field stays the first one.
	More []*InvalidInputError
}

func (e *InvalidInputError) Error() string {
	s := fmt.Sprintf("invalid %s: %s", e.Field, e.Reason)
	for _, m := range e.More {
		s += fmt.Sprintf("; invalid %s: %s", m.Field, m.Reason)
	}
	return s
}

// Fields lists every wrong input: this one, then More.
func (e *InvalidInputError) Fields() []*InvalidInputError {
	one := *e
	one.More = nil
	return append([]*InvalidInputError{&one}, e.More...)
}

// invalidFields joins wrong inputs into one error, the first as its
// Field; nil when there are none.
func invalidFields(bad []*InvalidInputError) error {
	if len(bad) == 0 {
		return nil
	}
	first := *bad[0]
	first.More = append(first.More, bad[1:]...)
	return &first
}

// ErrorCode implements the application error code interface.
func (e *InvalidInputError) ErrorCode() Code { return EINVALID }

// LimitReachedError reports an extension or re-appointment past its maximum.
type LimitReachedError struct {
	Action string
	Max    int
}

func (e *LimitReachedError) Error() string {
	return fmt.Sprintf("action %q may be used at most %d time(s) per dossier", e.Action, e.Max)
}
func (e *LimitReachedError) ErrorCode() Code { return ECONFLICT }

// FinishedError reports an action on a dossier that has already finished.
type FinishedError struct {
	Code  string
	State string
}

func (e *FinishedError) Error() string {
	return fmt.Sprintf("dossier %s is finished (state %q)", e.Code, e.State)
}
func (e *FinishedError) ErrorCode() Code { return ECONFLICT }

// ConflictError reports a write against a stale version.
type ConflictError struct {
	Code    string
	Version int64
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("dossier %s changed since version %d", e.Code, e.Version)
}
func (e *ConflictError) ErrorCode() Code { return ECONFLICT }

// NotificationChangedError is UpdateNotification's answer when the stored
// notification no longer has the status and attempts the caller read:
// another dispatcher recorded an attempt in between, and the caller's
// record must not overwrite it (a "sent" turned back into "pending").
type NotificationChangedError struct {
	ID       string
	Status   string // what the caller read
	Attempts int
}

func (e *NotificationChangedError) Error() string {
	return fmt.Sprintf("notification %s is no longer %s after %d attempts", e.ID, e.Status, e.Attempts)
}

func (e *NotificationChangedError) ErrorCode() Code { return ECONFLICT }

// SchemaTooNewError is a store's refusal to open data written by a newer
// motcua: its schema is past what this binary knows, and an older binary
// writing it would undo what the newer one relies on.
type SchemaTooNewError struct {
	Store      string // "sqlite" or "mongodb"
	Have, Know int    // the stored schema version, the newest this binary knows
}

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("the %s data was written by a newer motcua (schema %d, this one knows %d)", e.Store, e.Have, e.Know)
}

// ErrorCode is EINTERNAL: the operator fixes it by running the newer
// binary, not by retyping anything.
func (e *SchemaTooNewError) ErrorCode() Code { return EINTERNAL }
