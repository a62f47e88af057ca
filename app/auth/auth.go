// Package auth signs people in and out: password checks with throttling,
// database-backed sessions, API tokens, password changes. It knows nothing
// of HTTP; the handlers turn its results into cookies and statuses.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"rampart/app/password"
	"rampart/models"
)

// ErrBadCredentials is the one answer for an unknown email, a wrong
// password and a deactivated account, so none can be told apart.
var ErrBadCredentials = errors.New("email or password is incorrect")

// ErrSSORequired means the policy wants this person to sign in through
// the identity provider, not with a password.
var ErrSSORequired = errors.New("single sign-on required")

// ErrUnauthenticated means the session or token is missing, expired,
// revoked or belongs to a deactivated user.
var ErrUnauthenticated = errors.New("not signed in")

// ThrottledError means too many failed attempts; try again after RetryAfter.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string { return "too many failed sign-in attempts" }

// Policy holds the session and throttling limits; throttle.go explains
// the three counters.
type Policy struct {
	IdleTimeout       time.Duration // a session unused this long ends
	Lifetime          time.Duration // a session ends this long after sign-in, used or not
	Window            time.Duration // failed attempts are counted over this window
	MaxPerAccountAddr int64         // failures per account from one client address within the window
	MaxPerClientAddr  int64         // failures per client address, all accounts together, within the window
	MaxPerAccount     int64         // failures per account from all addresses; past it only addresses with no failure on it may try
}

// DefaultPolicy is what a company security team would expect.
var DefaultPolicy = Policy{IdleTimeout: 2 * time.Hour, Lifetime: 12 * time.Hour, Window: 15 * time.Minute,
	MaxPerAccountAddr: 5, MaxPerClientAddr: 30, MaxPerAccount: 10}

// Service performs sign-in and authentication against the database.
type Service struct {
	DB     *gorm.DB
	Policy Policy
	Now    func() time.Time
	// Hasher bounds concurrent password hashing; nil means password.Default.
	Hasher *password.Limiter

	refusals refusalLimiter
	policy   policyCache
}

func (s *Service) hasher() *password.Limiter {
	if s.Hasher != nil {
		return s.Hasher
	}
	return password.Default
}

// Origin describes where a request came from, for sessions and the audit trail.
type Origin struct {
	RequestID string
	ClientIP  string
	UserAgent string
}

// Principal is who is calling: a user through a session or an API token.
type Principal struct {
	User    *models.User
	Session *models.Session  // nil for API tokens
	Token   *models.APIToken // nil for sessions
	// System names scheduled work acting for User (e.g. "reassessment
	// schedule"): the audit trail records the schedule as the actor,
	// while what it creates is owned by User.
	System string
	// Pending is what a session must finish before anything else
	// (PendingPasswordChange, PendingMFAEnrolment); "" when nothing.
	Pending string
}

// ReadOnly reports whether the principal may only read.
func (p *Principal) ReadOnly() bool { return p.Token != nil && p.Token.ReadOnly }

// Actor returns the audit actor fields for the principal.
func (p *Principal) Actor() (typ, id, label string) {
	if p == nil || p.User == nil {
		return models.ActorAnonymous, "", ""
	}
	if p.System != "" {
		return models.ActorSystem, "", p.System + " for " + p.User.Email
	}
	if p.Token != nil {
		return models.ActorToken, p.User.ID, p.User.Email + " (token " + p.Token.Name + ")"
	}
	return models.ActorUser, p.User.ID, p.User.Email
}

// SignedIn is the result of a successful sign-in or password change.
type SignedIn struct {
	User    *models.User
	Session *models.Session
	// Cookie is the session secret for the browser; only its hash is stored.
	Cookie string
	// Challenge, instead of a session, when the account uses MFA: the
	// secret of the pending second step, for a short-lived cookie.
	Challenge        string
	ChallengeExpires time.Time
	// Methods are the second factors the account can finish with
	// (SecondFactorTOTP, SecondFactorPasskey).
	Methods []string
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// dummyHash is verified against when the email is unknown, so that an
// unknown email costs the same time as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := password.Hash("rampart-timing-equaliser-password")
	return h
})

// SignIn checks the credentials and opens a session. The attempt is
// counted before the password is checked (see throttle.go), so parallel
// attempts cannot all be evaluated against the same stale count.
func (s *Service) SignIn(ctx context.Context, email, pw string, o Origin) (*SignedIn, error) {
	now := s.now()
	keys := throttleKeys(email, o.ClientIP)
	if err := s.reserve(ctx, keys, now); err != nil {
		var te *ThrottledError
		if errors.As(err, &te) {
			s.audit(ctx, s.DB, o, models.AuditEvent{ActorType: models.ActorAnonymous, ActorLabel: models.NormalizeEmail(email),
				Action: "auth.sign_in_failed", Outcome: models.OutcomeDenied, Detail: "throttled"})
		}
		return nil, err
	}
	u, err := models.UserByEmail(ctx, s.DB, email)
	hash := dummyHash()
	if err == nil {
		hash = u.PasswordHash
	} else if !errors.Is(err, models.ErrNotFound) {
		return nil, errors.Join(err, s.release(ctx, keys, now))
	}
	ok, rehash, verr := s.hasher().Verify(ctx, pw, hash)
	if errors.Is(verr, password.ErrBusy) || errors.Is(verr, context.Canceled) || errors.Is(verr, context.DeadlineExceeded) {
		// Never checked: not a failure.
		return nil, errors.Join(verr, s.release(ctx, keys, now))
	}
	if err != nil || verr != nil || !ok || !u.Active {
		detail := "wrong password"
		switch {
		case err != nil:
			detail = "unknown email"
		case ok && !u.Active:
			detail = "account deactivated"
		}
		ev := models.AuditEvent{ActorType: models.ActorAnonymous, ActorLabel: models.NormalizeEmail(email),
			Action: "auth.sign_in_failed", Outcome: models.OutcomeFailure, Detail: detail}
		if u != nil {
			ev.ObjectType, ev.ObjectID = "user", u.ID
		}
		s.audit(ctx, s.DB, o, ev)
		return nil, ErrBadCredentials
	}
	if err := s.release(ctx, keys, now); err != nil {
		return nil, err
	}
	pol, err := models.GetSecurityPolicy(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	if !pol.PasswordAllowed(u.ID) {
		// Told only after the right password, so it reveals nothing to a guesser.
		s.audit(ctx, s.DB, o, models.AuditEvent{ActorType: models.ActorAnonymous, ActorLabel: u.Email, Action: "auth.sign_in_failed",
			Outcome: models.OutcomeDenied, ObjectType: "user", ObjectID: u.ID, Detail: "single sign-on required"})
		return nil, ErrSSORequired
	}
	second, err := hasSecondFactor(ctx, s.DB, u)
	if err != nil {
		return nil, err
	}
	if second {
		// The password was right; the session waits for the second factor.
		// (A due rehash waits for a password change.)
		return s.startChallenge(ctx, u, now, o)
	}
	newHash := ""
	if rehash {
		// A busy hasher only postpones the upgrade to the next sign-in.
		if newHash, err = s.hasher().Hash(ctx, pw); err != nil {
			newHash, rehash = "", false
		}
	}
	var out *SignedIn
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.RecordSignIn(ctx, tx, u.ID, now, newHash); err != nil {
			return err
		}
		signed, err := s.openSession(ctx, tx, u, now, o)
		if err != nil {
			return err
		}
		out = signed
		detail := ""
		if rehash {
			detail = "password rehashed with current parameters"
		}
		return s.record(ctx, tx, o, models.AuditEvent{ActorType: models.ActorUser, ActorID: u.ID, ActorLabel: u.Email,
			Action: "auth.sign_in", ObjectType: "user", ObjectID: u.ID, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	out.User.LastLoginAt = &now
	return out, nil
}

func (s *Service) openSession(ctx context.Context, tx *gorm.DB, u *models.User, now time.Time, o Origin) (*SignedIn, error) {
	return s.openSessionBy(ctx, tx, u, now, o, MethodPassword)
}

func (s *Service) openSessionBy(ctx context.Context, tx *gorm.DB, u *models.User, now time.Time, o Origin, method string) (*SignedIn, error) {
	secret := randomToken()
	sess := &models.Session{
		ID: hashSecret(secret), UserID: u.ID, CSRFToken: randomToken(), ClientIP: o.ClientIP,
		UserAgent: truncate(o.UserAgent, 300), LastSeenAt: now, ExpiresAt: now.Add(s.Policy.Lifetime), SignInMethod: method,
	}
	if err := models.CreateSession(ctx, tx, sess); err != nil {
		return nil, err
	}
	return &SignedIn{User: u, Session: sess, Cookie: secret}, nil
}

// touchEvery limits session and token "last used" writes to one a minute.
const touchEvery = time.Minute

// sessionTouchEvery is how stale a session's last-seen time may get before
// it is written again: at most a quarter of the idle timeout, so that an
// active session is never judged idle on a stale last-seen time.
func (s *Service) sessionTouchEvery() time.Duration {
	return min(touchEvery, s.Policy.IdleTimeout/4)
}

// Session authenticates a browser by its cookie value.
func (s *Service) Session(ctx context.Context, cookie string) (*Principal, error) {
	if cookie == "" || len(cookie) > 100 {
		return nil, ErrUnauthenticated
	}
	sess, u, err := models.SessionByID(ctx, s.DB, hashSecret(cookie))
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrUnauthenticated
	} else if err != nil {
		return nil, err
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) || !now.Before(sess.LastSeenAt.Add(s.Policy.IdleTimeout)) || !u.Active {
		_ = models.DeleteSession(ctx, s.DB, sess.ID)
		return nil, ErrUnauthenticated
	}
	if now.Sub(sess.LastSeenAt) > s.sessionTouchEvery() {
		if err := models.TouchSession(ctx, s.DB, sess.ID, now); err != nil {
			return nil, err
		}
		sess.LastSeenAt = now
	}
	pending, err := s.Pending(ctx, u)
	if err != nil {
		return nil, err
	}
	if pending == PendingMFAEnrolment && sess.SignInMethod != MethodPassword {
		// The identity provider that signed them in asked for the second
		// factor; Rampart's policy is for its own passwords.
		pending = ""
	}
	return &Principal{User: u, Session: sess, Pending: pending}, nil
}

// TokenPrefix starts every API token, so leaked tokens are easy to find.
const TokenPrefix = "rmp_"

// Token authenticates an API client by its bearer token.
func (s *Service) Token(ctx context.Context, bearer string) (*Principal, error) {
	if !strings.HasPrefix(bearer, TokenPrefix) || len(bearer) > 100 {
		return nil, ErrUnauthenticated
	}
	t, u, err := models.APITokenByHash(ctx, s.DB, hashSecret(bearer))
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrUnauthenticated
	} else if err != nil {
		return nil, err
	}
	now := s.now()
	if t.RevokedAt != nil || (t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)) || !u.Active {
		return nil, ErrUnauthenticated
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > touchEvery {
		if err := models.TouchAPIToken(ctx, s.DB, t.ID, now); err != nil {
			return nil, err
		}
		t.LastUsedAt = &now
	}
	return &Principal{User: u, Token: t}, nil
}

// SignOut ends one session.
func (s *Service) SignOut(ctx context.Context, p *Principal, o Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.DeleteSession(ctx, tx, p.Session.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, o, s.event(p, "auth.sign_out", "user", p.User.ID, ""))
	})
}

// SignOutEverywhere ends every session of the principal's user and, with
// revokeTokens, also revokes their API tokens and calendar feed URLs:
// credentials that do not end with a session.
func (s *Service) SignOutEverywhere(ctx context.Context, p *Principal, revokeTokens bool, o Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		n, err := models.DeleteUserSessions(ctx, tx, p.User.ID, "")
		if err != nil {
			return err
		}
		detail := plural(n, "session") + " ended"
		if revokeTokens {
			if err := s.revokeCredentials(ctx, tx, p.User.ID, true); err != nil {
				return err
			}
			detail += ", API tokens and calendar feed revoked"
		}
		return s.record(ctx, tx, o, s.event(p, "auth.sign_out_everywhere", "user", p.User.ID, detail))
	})
}

// revokeCredentials revokes the user's calendar feed URLs and, with
// tokens, their API tokens.
func (s *Service) revokeCredentials(ctx context.Context, tx *gorm.DB, userID string, tokens bool) error {
	if err := models.RevokeCalendarFeeds(ctx, tx, userID); err != nil {
		return err
	}
	if !tokens {
		return nil
	}
	return models.RevokeUserAPITokens(ctx, tx, userID, s.now())
}

// ChangePassword checks the current password, stores the new one, ends
// every session of the user, revokes their calendar feed URLs (and, with
// revokeTokens, their API tokens) and opens a fresh session for this
// browser. The check of the current password is throttled like a sign-in.
func (s *Service) ChangePassword(ctx context.Context, p *Principal, current, next string, revokeTokens bool, o Origin) (*SignedIn, error) {
	now := s.now()
	keys := throttleKeys(p.User.Email, o.ClientIP)
	if err := s.reserve(ctx, keys, now); err != nil {
		return nil, err
	}
	ok, _, err := s.hasher().Verify(ctx, current, p.User.PasswordHash)
	if errors.Is(err, password.ErrBusy) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return nil, errors.Join(err, s.release(ctx, keys, now))
	}
	if !ok {
		return nil, models.Invalid("current_password", "is incorrect")
	}
	if err := s.release(ctx, keys, now); err != nil {
		return nil, err
	}
	if err := password.Check(next); err != nil {
		return nil, models.Invalid("new_password", err.Error())
	}
	if next == current {
		return nil, models.Invalid("new_password", "must differ from the current password")
	}
	hash, err := s.hasher().Hash(ctx, next)
	if err != nil {
		return nil, err
	}
	var out *SignedIn
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		no := false
		u, err := models.UpdateUser(ctx, tx, p.User.ID, 0, models.UserChanges{PasswordHash: &hash, MustChangePassword: &no})
		if err != nil {
			return err
		}
		if err := models.ExpireUserPasswordResets(ctx, tx, u.ID, now); err != nil {
			return err
		}
		n, err := models.DeleteUserSessions(ctx, tx, u.ID, "")
		if err != nil {
			return err
		}
		if err := s.revokeCredentials(ctx, tx, u.ID, revokeTokens); err != nil {
			return err
		}
		if out, err = s.openSession(ctx, tx, u, now, o); err != nil {
			return err
		}
		detail := plural(n, "session") + " ended, calendar feed revoked"
		if revokeTokens {
			detail += ", API tokens revoked"
		}
		return s.record(ctx, tx, o, s.event(p, "auth.password_change", "user", u.ID, detail))
	})
	return out, err
}

// NewAPIToken returns a new token secret and the hash to store.
func NewAPIToken() (secret, hash, prefix string) {
	secret = TokenPrefix + randomToken()
	return secret, hashSecret(secret), secret[:len(TokenPrefix)+8]
}

func (s *Service) event(p *Principal, action, objType, objID, detail string) models.AuditEvent {
	typ, id, label := p.Actor()
	return models.AuditEvent{ActorType: typ, ActorID: id, ActorLabel: label, Action: action, ObjectType: objType, ObjectID: objID, Detail: detail}
}

func (s *Service) record(ctx context.Context, tx *gorm.DB, o Origin, e models.AuditEvent) error {
	e.RequestID, e.ClientIP, e.OccurredAt = o.RequestID, o.ClientIP, s.now()
	return models.AppendAudit(ctx, tx, &e)
}

// Record appends an audit event for a change p made, inside tx (the
// change's transaction), filling in the actor and the request's origin.
func Record(ctx context.Context, tx *gorm.DB, p *Principal, o Origin, e models.AuditEvent) error {
	e.ActorType, e.ActorID, e.ActorLabel = p.Actor()
	e.RequestID, e.ClientIP = o.RequestID, o.ClientIP
	return models.AppendAudit(ctx, tx, &e)
}

// audit records an event that is not part of a change (failed sign-ins):
// a failure to record it must not hide the answer from the caller.
func (s *Service) audit(ctx context.Context, db *gorm.DB, o Origin, e models.AuditEvent) {
	_ = s.record(ctx, db, o, e)
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.FormatInt(n, 10) + " " + word + "s"
}

// NewLinkToken makes a portal link's secret, starting with prefix so one
// kind of link never opens another's page, and the hash that is stored in
// its place.
func NewLinkToken(prefix string) (token, hash string) {
	token = prefix + randomToken()
	return token, hashSecret(token)
}

// LinkTokenHash is the stored hash of a portal link's token.
func LinkTokenHash(token string) string { return hashSecret(token) }
