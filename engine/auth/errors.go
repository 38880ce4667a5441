package auth

import (
	"fmt"
	"time"

	"github.com/motcua/motcua/engine"
)

// ELIMITED is the application code of a request refused by rate
// limiting (HTTP 429). It is engine's, so that the one code table holds
// it; the name stays here for the package's callers.
const ELIMITED = engine.ELIMITED

// InvalidCredentialsError is a failed sign-in. It never says whether the
// person exists or the password was wrong: both read the same.
type InvalidCredentialsError struct{}

func (e *InvalidCredentialsError) Error() string { return "unknown person or wrong password" }

// ErrorCode implements the application error code interface.
func (e *InvalidCredentialsError) ErrorCode() engine.Code { return engine.EUNAUTHORIZED }

// Message implements engine.Localized.
func (e *InvalidCredentialsError) Message(lang string) string {
	if lang == "en" {
		return "Unknown user or wrong password"
	}
	return "Sai tên đăng nhập hoặc mật khẩu"
}

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

// RetryAfterSeconds is RetryAfter in whole seconds, at least 1, as the
// Retry-After header wants it.
func (e *RateLimitedError) RetryAfterSeconds() int {
	return max(int(e.RetryAfter.Round(time.Second)/time.Second), 1)
}

// Message implements engine.Localized.
func (e *RateLimitedError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("Too many failed sign-ins; retry in %d seconds", e.RetryAfterSeconds())
	}
	return fmt.Sprintf("Đăng nhập sai quá nhiều lần; thử lại sau %d giây", e.RetryAfterSeconds())
}

// WeakPasswordError refuses a password that is too short.
type WeakPasswordError struct{ Min int }

func (e *WeakPasswordError) Error() string {
	return fmt.Sprintf("password too short: at least %d characters", e.Min)
}

// ErrorCode implements the application error code interface.
func (e *WeakPasswordError) ErrorCode() engine.Code { return engine.EINVALID }

// Message implements engine.Localized.
func (e *WeakPasswordError) Message(lang string) string {
	if lang == "en" {
		return e.Error()
	}
	return fmt.Sprintf("Mật khẩu quá ngắn: cần ít nhất %d ký tự", e.Min)
}
