package handlers

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/assessments"
	"rampart/app/auth"
	"rampart/app/dora"
	"rampart/app/evidence"
	"rampart/app/findings"
	"rampart/app/incidents"
	"rampart/app/password"
	"rampart/app/storage"
	"rampart/app/vendors"
	"rampart/models"
)

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
	Errors    []models.FieldError `json:"errors,omitempty"`
	// Current is the record as stored now, on a 409 for a stale version.
	Current any `json:"current,omitempty"`
	// Duplicates are the similar records on a 409 for a likely duplicate.
	Duplicates any `json:"duplicates,omitempty"`
	// Import is the per-row report of an import that saved nothing.
	Import any `json:"import,omitempty"`
	// Report is the DORA register's validation report when an export is
	// refused.
	Report any `json:"report,omitempty"`
}

// Problem types that clients may switch on; the rest are about:blank with
// the HTTP status text as title.
const (
	typeValidation  = "urn:rampart:problem:validation"
	typeMalformed   = "urn:rampart:problem:malformed-request"
	typeConflict    = "urn:rampart:problem:conflict"
	typeUnavailable = "urn:rampart:problem:unavailable"
	typeDuplicate   = "urn:rampart:problem:duplicate"
)

const problemJSON = "application/problem+json"

// requestError is a client mistake the handler layer detects before any
// domain code runs (bad JSON, wrong media type); it carries its status.
type requestError struct {
	status int
	typ    string
	detail string
	fields []models.FieldError
}

func (e *requestError) Error() string { return e.detail }

// conflictError is a stale-version 409 carrying the current record.
type conflictError struct{ current any }

func (e *conflictError) Error() string { return "version conflict" }

func malformed(detail string) error {
	return &requestError{status: http.StatusBadRequest, typ: typeMalformed, detail: detail}
}

// problemFor maps any error returned by a handler to its problem; this is
// the one place where domain errors get their HTTP status.
func problemFor(err error) Problem {
	var (
		he  *echo.HTTPError
		re  *requestError
		ve  *models.ValidationError
		mbe *http.MaxBytesError
		ce  *conflictError
		te  *auth.ThrottledError
		de  *vendors.DuplicateError
		fe  *models.ForbiddenError
		se  *models.StateError
		ie  *dora.InvalidError
	)
	switch {
	case errors.As(err, &ie):
		p := newProblem(http.StatusUnprocessableEntity, "The register has issues (see report); fix them, or export anyway with force=true.")
		p.Type = typeValidation
		p.Report = ie.Report
		return p
	case errors.As(err, &fe):
		return newProblem(http.StatusForbidden, fe.Reason)
	case errors.As(err, &se):
		p := newProblem(http.StatusConflict, se.Reason)
		p.Type = typeConflict
		return p
	case errors.As(err, &de):
		p := newProblem(http.StatusConflict, "A vendor with the same name or website already exists. Open it, or send confirm_duplicate: true to create this one anyway.")
		p.Type = typeDuplicate
		p.Duplicates = refsOf(de.Matches)
		return p
	case errors.As(err, &ce):
		p := newProblem(http.StatusConflict, "Someone else changed this record since you opened it; current holds their version.")
		p.Type = typeConflict
		p.Current = ce.current
		return p
	case errors.Is(err, auth.ErrBadCredentials):
		return newProblem(http.StatusUnauthorized, "Email or password is incorrect.")
	case errors.Is(err, auth.ErrSSORequired):
		return newProblem(http.StatusForbidden, "Your organisation signs in with single sign-on: use the “Sign in with …” button below.")
	case errors.Is(err, auth.ErrUnauthenticated):
		return newProblem(http.StatusUnauthorized, "Sign in to continue.")
	case errors.As(err, &te):
		return newProblem(http.StatusTooManyRequests, fmt.Sprintf("Too many failed attempts. Try again in %s.", roundUp(te.RetryAfter)))
	case errors.Is(err, password.ErrBusy):
		p := newProblem(http.StatusServiceUnavailable, "Too many sign-ins and password changes are being checked right now. Try again in a few seconds.")
		p.Type = typeUnavailable
		return p
	case errors.As(err, &re):
		p := newProblem(re.status, re.detail)
		if re.typ != "" {
			p.Type = re.typ
		}
		p.Errors = re.fields
		return p
	case errors.As(err, &ve):
		p := newProblem(http.StatusUnprocessableEntity, "The request has invalid fields; see errors.")
		p.Type = typeValidation
		p.Errors = ve.Errors
		return p
	case errors.Is(err, assessments.ErrPortalClosed):
		return newProblem(http.StatusNotFound, "This questionnaire link is not valid: it may have expired or been replaced. Ask your contact for a new one.")
	case errors.Is(err, incidents.ErrLinkClosed):
		return newProblem(http.StatusNotFound, "This incident report link is not valid: it may have expired or been revoked. Ask your contact for a new one.")
	case errors.Is(err, findings.ErrRemediationLinkClosed):
		return newProblem(http.StatusNotFound, "This remediation link is not valid: it may have expired or been revoked. Ask your contact for a new one.")
	case errors.Is(err, evidence.ErrRequestLinkClosed):
		return newProblem(http.StatusNotFound, "This document request link is not valid: it may have expired, been cancelled or been revoked. Ask your contact for a new one.")
	case errors.Is(err, assessments.ErrChangedMeanwhile):
		p := newProblem(http.StatusConflict, "The questionnaire was submitted while this change was being saved, so it was not saved. Reload the page to see the submitted answers.")
		p.Type = typeConflict
		return p
	case errors.Is(err, models.ErrNotFound), errors.Is(err, storage.ErrNotFound):
		return newProblem(http.StatusNotFound, "")
	case errors.Is(err, models.ErrConflict):
		p := newProblem(http.StatusConflict, "The record was changed by someone else or the value is already taken.")
		p.Type = typeConflict
		return p
	case errors.As(err, &mbe):
		return newProblem(http.StatusRequestEntityTooLarge, "The request body is larger than this endpoint accepts.")
	case errors.As(err, &he):
		detail := ""
		if msg, ok := he.Message.(string); ok && msg != http.StatusText(he.Code) {
			detail = msg
		}
		if he.Code == http.StatusRequestEntityTooLarge && detail == "" {
			detail = "The request body is larger than this endpoint accepts."
		}
		return newProblem(he.Code, detail)
	}
	return newProblem(http.StatusInternalServerError, "An unexpected error occurred. Quote the request id when reporting it.")
}

func newProblem(status int, detail string) Problem {
	return Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

// statusClientClosed is nginx's status for a request whose client hung up
// before the answer; it is logged, the client never sees it.
const statusClientClosed = 499

// errorHandler writes every error as problem+json. 4xx are logged at warn
// by the request logger; here 5xx keep their real cause in the log only.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p := problemFor(err)
		if c.Request().Context().Err() != nil && p.Status >= 500 {
			// The client went away (a cancelled sign-in, a closed tab) and
			// the database call was cut short: not a server failure.
			p = Problem{Type: "about:blank", Title: "Client Closed Request", Status: statusClientClosed}
		}
		if p.Status == http.StatusMethodNotAllowed && c.Path() == "/*" && isAPIPath(c.Request().URL.Path) {
			// Only the SPA's catch-all matched: the API has no such path,
			// which is a 404, not a wrong method.
			c.Response().Header().Del(echo.HeaderAllow)
			p = newProblem(http.StatusNotFound, "")
		}
		var te *auth.ThrottledError
		if errors.As(err, &te) {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(te.RetryAfter.Seconds()))))
		}
		if errors.Is(err, password.ErrBusy) {
			c.Response().Header().Set("Retry-After", "2")
		}
		p.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		if p.Status >= 500 {
			log.Error("request failed", "request_id", p.RequestID, "error", err.Error())
		}
		writeProblem(c, p)
	}
}

// recordSelfApproval audits a refusal to let someone decide on their own
// request, wherever in the domain code it was made.
func (s *Server) recordSelfApproval(err error, c echo.Context) {
	var fe *models.ForbiddenError
	if !errors.As(err, &fe) || fe.SelfApproval == "" {
		return
	}
	s.deps.Auth.RecordRefusal(c.Request().Context(), principalOf(c), auth.RefusedSelfApproval, fe.SelfApproval, c.Param("id"),
		c.Request().Method+" "+c.Path()+": "+fe.Reason, s.origin(c))
}

func writeProblem(c echo.Context, p Problem) {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, problemJSON)
	h.Set(echo.HeaderCacheControl, "no-store")
	if c.Request().Method == http.MethodHead {
		c.Response().WriteHeader(p.Status)
		return
	}
	_ = c.JSON(p.Status, p)
}

// roundUp says a wait in whole minutes (or seconds under a minute).
func roundUp(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d seconds", int(math.Ceil(d.Seconds())))
	}
	m := int(math.Ceil(d.Minutes()))
	if m == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}
