package auth

import (
	"fmt"
	"time"

	"github.com/motcua/motcua/engine"
)

// ELIMITED is the application code of a request refused by rate
// limiting (HTTP 429). It extends engine's codes without changing them.
const ELIMITED engine.Code = "rate_limited"

// InvalidCredentialsError is a failed sign-in. It never says whether the
// person exists or the password was wrong: both read the same.
type InvalidCredentialsError struct{}

func (e *InvalidCredentialsError) Error() string { return "unknown person or wrong password" }

// ErrorCode implements the application error code interface.
func (e *InvalidCredentialsError) ErrorCode() engine.Code { return engine.EUNAUTHORIZED }

// RateLimitedError refuses a sign-in attempt after too many failures.
type RateLimitedError struct {
	// RetryAfter is how long until the next attempt may succeed.
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("too many failed sign-ins: retry in %s", e.RetryAfter.Round(time.Second))
}

// ErrorCode implements the application error code interface.
func (e *RateLimitedError) ErrorCode() engine.Code { return ELIMITED }

// WeakPasswordError refuses a password that is too short.
type WeakPasswordError struct{ Min int }

func (e *WeakPasswordError) Error() string {
	return fmt.Sprintf("password too short: at least %d characters", e.Min)
}

// ErrorCode implements the application error code interface.
func (e *WeakPasswordError) ErrorCode() engine.Code { return engine.EINVALID }
