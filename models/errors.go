package models

import (
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// ErrNotFound means the record does not exist or the caller may not see it.
var ErrNotFound = errors.New("not found")

// ErrConflict means the record changed since the caller read it (stale
// version) or a unique value is already taken.
var ErrConflict = errors.New("conflict")

// FieldError names one invalid input field and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError carries one or more field errors; handlers answer 422.
type ValidationError struct {
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	if len(e.Errors) == 0 {
		return "validation failed"
	}
	return fmt.Sprintf("%s %s", e.Errors[0].Field, e.Errors[0].Message)
}

// Invalid builds a ValidationError for one field.
func Invalid(field, message string) *ValidationError {
	return &ValidationError{Errors: []FieldError{{Field: field, Message: message}}}
}

// translate turns driver errors into the package's typed errors.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%w: %v", ErrConflict, err)
	}
	return err
}

// ForbiddenError means the caller may see the record but not do this to
// it; handlers answer 403 with the reason.
type ForbiddenError struct {
	Reason string
	// SelfApproval names the kind of record ("exception", "request")
	// when the refusal is of someone deciding on their own request; such
	// refusals are recorded in the audit trail.
	SelfApproval string
}

func (e *ForbiddenError) Error() string { return e.Reason }

// StateError refuses a change the record's state does not allow (a shared
// finding closed before its plan is accepted); handlers answer 409 with
// the reason.
type StateError struct{ Reason string }

func (e *StateError) Error() string { return e.Reason }
