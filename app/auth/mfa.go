package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"image/png"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"

	"rampart/app/password"
	"rampart/models"
)

// Multi-factor authentication with TOTP (RFC 6238) and recovery codes
// (docs/security.md, "Multi-factor authentication").

// MFAChallengeTTL is how long the second step of a sign-in stays open
// after the right password.
const MFAChallengeTTL = 5 * time.Minute

// maxMFAFailures is how many wrong codes an account may send within the
// throttling window before verification waits for the window to end.
const maxMFAFailures = 5

// RecoveryCodeCount is how many recovery codes enrolment hands out.
const RecoveryCodeCount = 10

// ErrMFAChallenge means the second step has no open first step: it
// expired, was finished already, or never existed.
var ErrMFAChallenge = errors.New("the sign-in step expired")

// ErrMFANotEnabled refuses actions that need MFA on.
var ErrMFANotEnabled = errors.New("MFA is not turned on")

// Second factors a sign-in's second step may take.
const (
	SecondFactorTOTP    = "totp" // an authenticator app's code (or a recovery code)
	SecondFactorPasskey = "passkey"
)

// Pending states of a session that may do nothing but leave them.
const (
	PendingPasswordChange = "password_change"
	PendingMFAEnrolment   = "mfa_enrolment"
)

var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

func mfaKey(email string) []models.ThrottleKey {
	e := models.NormalizeEmail(email)
	return []models.ThrottleKey{{Key: "mfa:" + e, Account: e}}
}

// reserveMFA counts one verification against the account, or refuses it.
func (s *Service) reserveMFA(ctx context.Context, email string, now time.Time) error {
	return models.ReserveAttempt(ctx, s.DB, mfaKey(email), now, s.Policy.Window, func(c []models.ThrottleCount) error {
		if c[0].Failures > maxMFAFailures {
			return &ThrottledError{RetryAfter: c[0].WindowEnd.Sub(now)}
		}
		return nil
	})
}

// matchTOTP returns the time step whose code is code, allowing one step
// of clock drift either way; ok is false when none matches.
func matchTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	if len(code) != 6 || secret == "" {
		return 0, false
	}
	cur := now.Unix() / 30
	for _, st := range []int64{cur, cur - 1, cur + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(st*30, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return st, true
		}
	}
	return 0, false
}

// normalizeCode strips what people type around codes: spaces and dashes.
func normalizeCode(code string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(code)))
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// newRecoveryCodes returns codes to show once and the hashes to store.
// Each code is 16 base32 characters, 80 random bits: too many to guess
// online (verification is throttled) or to search offline, so a fast
// SHA-256 suffices where a password, with far fewer bits, needs Argon2id.
func newRecoveryCodes() (codes, hashes []string) {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789" // 32 symbols, no l/1/o/0
	for range RecoveryCodeCount {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		var sb strings.Builder
		for i, x := range b {
			if i > 0 && i%4 == 0 {
				sb.WriteByte('-')
			}
			sb.WriteByte(alphabet[x%32])
		}
		code := sb.String()
		codes = append(codes, code)
		hashes = append(hashes, hashSecret(normalizeCode(code)))
	}
	return codes, hashes
}

// Enrolment is a TOTP secret offered to the user, not yet confirmed.
type Enrolment struct {
	Secret string
	URL    string // otpauth:// URL, what the QR code holds
	QRCode []byte // PNG
}

// BeginTOTP offers a new secret; it takes effect only when ConfirmTOTP
// sees a code made with it. Enrolling again while MFA is on is refused:
// turn it off first.
func (s *Service) BeginTOTP(ctx context.Context, p *Principal) (*Enrolment, error) {
	if p.User.MFAEnabled() {
		return nil, models.Invalid("mfa", "is already on; turn it off before enrolling another authenticator")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Rampart", AccountName: p.User.Email})
	if err != nil {
		return nil, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	if err := models.SetTOTPPending(ctx, s.DB, p.User.ID, key.Secret()); err != nil {
		return nil, err
	}
	return &Enrolment{Secret: key.Secret(), URL: key.URL(), QRCode: buf.Bytes()}, nil
}

// ConfirmTOTP turns MFA on when code was made with the offered secret,
// and returns the recovery codes, which are shown this once.
func (s *Service) ConfirmTOTP(ctx context.Context, p *Principal, code string, o Origin) ([]string, error) {
	u, err := models.UserByID(ctx, s.DB, p.User.ID)
	if err != nil {
		return nil, err
	}
	if u.MFAEnabled() {
		return nil, models.Invalid("mfa", "is already on")
	}
	if u.TOTPPending == "" {
		return nil, models.Invalid("code", "start the enrolment first")
	}
	now := s.now()
	if err := s.reserveMFA(ctx, u.Email, now); err != nil {
		return nil, err
	}
	step, ok := matchTOTP(u.TOTPPending, normalizeCode(code), now)
	if !ok {
		e := s.event(p, "auth.mfa_failed", "user", u.ID, "wrong code at enrolment")
		e.Outcome = models.OutcomeFailure
		s.audit(ctx, s.DB, o, e)
		return nil, models.Invalid("code", "does not match; check the authenticator's clock and try the current code")
	}
	if err := s.release(ctx, mfaKey(u.Email), now); err != nil {
		return nil, err
	}
	codes, hashes := newRecoveryCodes()
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.EnableTOTP(ctx, tx, u.ID, u.TOTPPending, step, now, hashes); err != nil {
			return err
		}
		return s.record(ctx, tx, o, s.event(p, "mfa.enrol", "user", u.ID, "authenticator app (TOTP), "+strconv.Itoa(len(codes))+" recovery codes"))
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// checkOwnPassword verifies the principal's password, throttled like a
// sign-in, for actions that weaken or replace the second factor.
func (s *Service) checkOwnPassword(ctx context.Context, p *Principal, pw string, o Origin) error {
	now := s.now()
	keys := throttleKeys(p.User.Email, o.ClientIP)
	if err := s.reserve(ctx, keys, now); err != nil {
		return err
	}
	ok, _, err := s.hasher().Verify(ctx, pw, p.User.PasswordHash)
	if errors.Is(err, password.ErrBusy) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return errors.Join(err, s.release(ctx, keys, now))
	}
	if !ok {
		return models.Invalid("password", "is incorrect")
	}
	return s.release(ctx, keys, now)
}

// DisableTOTP turns the principal's MFA off after checking their
// password; refused while the policy requires MFA for their role.
func (s *Service) DisableTOTP(ctx context.Context, p *Principal, pw string, o Origin) error {
	if !p.User.MFAEnabled() {
		return ErrMFANotEnabled
	}
	pol, err := models.GetSecurityPolicy(ctx, s.DB)
	if err != nil {
		return err
	}
	if pol.RequiresMFA(p.User.Role) {
		// Allowed while a passkey remains as the second factor.
		n, err := models.CountPasskeys(ctx, s.DB, p.User.ID)
		if err != nil {
			return err
		}
		if n == 0 {
			return models.Invalid("mfa", "is required for your role by the security policy: add a passkey before turning the authenticator app off; an administrator can reset it if you lost your authenticator")
		}
	}
	if err := s.checkOwnPassword(ctx, p, pw, o); err != nil {
		return err
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.DisableTOTP(ctx, tx, p.User.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, o, s.event(p, "mfa.disable", "user", p.User.ID, ""))
	})
}

// RegenerateRecoveryCodes replaces the principal's recovery codes after
// checking their password.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, p *Principal, pw string, o Origin) ([]string, error) {
	if !p.User.MFAEnabled() {
		return nil, ErrMFANotEnabled
	}
	if err := s.checkOwnPassword(ctx, p, pw, o); err != nil {
		return nil, err
	}
	codes, hashes := newRecoveryCodes()
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.ReplaceRecoveryCodes(ctx, tx, p.User.ID, hashes); err != nil {
			return err
		}
		return s.record(ctx, tx, o, s.event(p, "mfa.recovery_codes_regenerate", "user", p.User.ID, ""))
	})
	return codes, err
}

// AdminResetMFA turns a user's MFA off (a lost device): the
// authenticator app, recovery codes and passkeys; and ends their sessions; with the policy on, they enrol again at their next sign-in.
func (s *Service) AdminResetMFA(ctx context.Context, p *Principal, userID string, o Origin) (*models.User, error) {
	var out *models.User
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := models.UserByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		if err := models.DisableTOTP(ctx, tx, u.ID); err != nil {
			return err
		}
		keys, err := models.DeleteUserPasskeys(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		n, err := models.DeleteUserSessions(ctx, tx, u.ID, "")
		if err != nil {
			return err
		}
		var removed []string
		if u.MFAEnabled() {
			removed = append(removed, "authenticator and recovery codes")
		}
		if keys > 0 {
			removed = append(removed, plural(keys, "passkey"))
		}
		detail := "MFA was off"
		if len(removed) > 0 {
			detail = strings.Join(removed, " and ") + " removed"
		}
		out, err = models.UserByID(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, o, s.event(p, "mfa.admin_reset", "user", u.ID, detail+", "+plural(n, "session")+" ended"))
	})
	return out, err
}

// startChallenge opens the second step of a sign-in after the right
// password; the browser holds the returned secret in a cookie.
func (s *Service) startChallenge(ctx context.Context, u *models.User, now time.Time, o Origin) (*SignedIn, error) {
	secret := randomToken()
	c := &models.MFAChallenge{ID: hashSecret(secret), UserID: u.ID, ClientIP: o.ClientIP, ExpiresAt: now.Add(MFAChallengeTTL)}
	if err := models.CreateMFAChallenge(ctx, s.DB, c); err != nil {
		return nil, err
	}
	var methods []string
	if u.MFAEnabled() {
		methods = append(methods, SecondFactorTOTP)
	}
	if n, err := models.CountPasskeys(ctx, s.DB, u.ID); err != nil {
		return nil, err
	} else if n > 0 {
		methods = append(methods, SecondFactorPasskey)
	}
	return &SignedIn{User: u, Challenge: secret, ChallengeExpires: c.ExpiresAt, Methods: methods}, nil
}

// VerifyMFA finishes a sign-in: the challenge from the password step and
// a TOTP code or a recovery code open a session. Wrong codes are counted
// per account (across addresses) and throttled; a TOTP code is accepted
// once, and a recovery code once ever.
func (s *Service) VerifyMFA(ctx context.Context, challenge, code string, o Origin) (*SignedIn, error) {
	if challenge == "" || len(challenge) > 100 {
		return nil, ErrMFAChallenge
	}
	now := s.now()
	ch, err := models.MFAChallengeByID(ctx, s.DB, hashSecret(challenge))
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrMFAChallenge
	} else if err != nil {
		return nil, err
	}
	if !now.Before(ch.ExpiresAt) {
		_, _ = models.DeleteMFAChallenge(ctx, s.DB, ch.ID)
		return nil, ErrMFAChallenge
	}
	u, err := models.UserByID(ctx, s.DB, ch.UserID)
	if err != nil {
		return nil, err
	}
	second, err := hasSecondFactor(ctx, s.DB, u)
	if err != nil {
		return nil, err
	}
	if !u.Active || !second {
		_, _ = models.DeleteMFAChallenge(ctx, s.DB, ch.ID)
		return nil, ErrMFAChallenge
	}
	if err := s.reserveMFA(ctx, u.Email, now); err != nil {
		var te *ThrottledError
		if errors.As(err, &te) {
			s.audit(ctx, s.DB, o, models.AuditEvent{ActorType: models.ActorAnonymous, ActorLabel: u.Email,
				Action: "auth.mfa_failed", Outcome: models.OutcomeDenied, ObjectType: "user", ObjectID: u.ID, Detail: "throttled"})
		}
		return nil, err
	}
	c := normalizeCode(code)
	method, failure := "", "wrong code"
	if isDigits(c) {
		if step, ok := matchTOTP(u.TOTPSecret, c, now); ok {
			fresh, err := models.ConsumeTOTPStep(ctx, s.DB, u.ID, step)
			if err != nil {
				return nil, err
			}
			if fresh {
				method = "authenticator code"
			} else {
				failure = "authenticator code already used"
			}
		}
	} else if len(c) <= 64 {
		used, err := models.UseRecoveryCode(ctx, s.DB, u.ID, hashSecret(c), now)
		if err != nil {
			return nil, err
		}
		if used {
			method = "recovery code"
		} else {
			failure = "wrong or used recovery code"
		}
	}
	if method == "" {
		s.audit(ctx, s.DB, o, models.AuditEvent{ActorType: models.ActorAnonymous, ActorLabel: u.Email,
			Action: "auth.mfa_failed", Outcome: models.OutcomeFailure, ObjectType: "user", ObjectID: u.ID, Detail: failure})
		return nil, models.Invalid("code", "is incorrect or was already used")
	}
	if err := s.release(ctx, mfaKey(u.Email), now); err != nil {
		return nil, err
	}
	return s.finishChallenge(ctx, ch, u, now, method, o)
}

// finishChallenge ends the challenge ch once a second factor (method,
// as the audit trail says it) was right, and opens the session.
func (s *Service) finishChallenge(ctx context.Context, ch *models.MFAChallenge, u *models.User, now time.Time, method string, o Origin) (*SignedIn, error) {
	var out *SignedIn
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		gone, err := models.DeleteMFAChallenge(ctx, tx, ch.ID)
		if err != nil {
			return err
		}
		if !gone {
			return ErrMFAChallenge // another request finished this sign-in
		}
		if err := models.RecordSignIn(ctx, tx, u.ID, now, ""); err != nil {
			return err
		}
		if out, err = s.openSession(ctx, tx, u, now, o); err != nil {
			return err
		}
		actor := models.AuditEvent{ActorType: models.ActorUser, ActorID: u.ID, ActorLabel: u.Email, ObjectType: "user", ObjectID: u.ID}
		if method == "recovery code" {
			left, err := models.RecoveryCodesLeft(ctx, tx, u.ID)
			if err != nil {
				return err
			}
			e := actor
			e.Action, e.Detail = "mfa.recovery_code_used", plural(left, "recovery code")+" left"
			if err := s.record(ctx, tx, o, e); err != nil {
				return err
			}
		}
		e := actor
		e.Action, e.Detail = "auth.sign_in", "second factor: "+method
		return s.record(ctx, tx, o, e)
	})
	if err != nil {
		return nil, err
	}
	out.User.LastLoginAt = &now
	return out, nil
}

// Pending says what a signed-in user must finish before anything
// else: a temporary password's change, then MFA enrolment if the policy
// requires it for their role.
func (s *Service) Pending(ctx context.Context, u *models.User) (string, error) {
	if u.MustChangePassword {
		return PendingPasswordChange, nil
	}
	// Every request asks this, so the cheap answers come first: most roles
	// need no second factor, and the policy is kept in memory briefly.
	pol, err := s.policy.get(ctx, s.DB)
	if err != nil || !pol.RequiresMFA(u.Role) {
		return "", err
	}
	if second, err := hasSecondFactor(ctx, s.DB, u); err != nil || second {
		return "", err
	}
	return PendingMFAEnrolment, nil
}

// policyTTL is how long an instance keeps the security policy it read: a
// change made on another instance applies there within this time (at
// once on the instance that saved it). It spares every request a query.
const policyTTL = 5 * time.Second

// policyCache is the security policy as last read, for Pending.
type policyCache struct {
	mu sync.Mutex
	p  *models.SecurityPolicy
	at time.Time
}

func (c *policyCache) get(ctx context.Context, db *gorm.DB) (*models.SecurityPolicy, error) {
	c.mu.Lock()
	p, fresh := c.p, time.Since(c.at) < policyTTL
	c.mu.Unlock()
	if p != nil && fresh {
		return p, nil
	}
	p, err := models.GetSecurityPolicy(ctx, db)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.p, c.at = p, time.Now()
	c.mu.Unlock()
	return p, nil
}

func (c *policyCache) forget() {
	c.mu.Lock()
	c.p = nil
	c.mu.Unlock()
}

// SavePolicy changes the security policy at version. Requiring single
// sign-on needs an enabled provider and an active administrator kept as
// the break-glass account, so that nobody is locked out.
func (s *Service) SavePolicy(ctx context.Context, p *Principal, version int64, ch models.PolicyChange, o Origin) (*models.SecurityPolicy, error) {
	var out *models.SecurityPolicy
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.GetSecurityPolicy(ctx, tx)
		if err != nil {
			return err
		}
		if ch.SSORequired {
			if err := checkSSORequired(ctx, tx, ch.BreakGlassUserID); err != nil {
				return err
			}
		}
		after, err := models.SaveSecurityPolicy(ctx, tx, version, ch)
		out = after
		if err != nil {
			return err
		}
		e := s.event(p, "security_policy.update", "", "", "")
		e.BeforeData, e.AfterData = models.AuditDiff(policyView(before), policyView(after))
		return s.record(ctx, tx, o, e)
	})
	s.policy.forget()
	return out, err
}

func policyView(p *models.SecurityPolicy) map[string]any {
	return map[string]any{"mfa_required_roles": p.Roles(), "sso_required": p.SSORequired, "break_glass_user_id": p.BreakGlassUserID}
}

func checkSSORequired(ctx context.Context, tx *gorm.DB, breakGlass *string) error {
	providers, err := models.ListSSOProviders(ctx, tx, true)
	if err != nil {
		return err
	}
	if len(providers) == 0 {
		return models.Invalid("sso_required", "needs an identity provider that is on (Settings → Single sign-on) first")
	}
	if breakGlass == nil || *breakGlass == "" {
		return models.Invalid("break_glass_user_id", "is required: an administrator who may still sign in with a password when the provider is down")
	}
	u, err := models.UserByID(ctx, tx, *breakGlass)
	if errors.Is(err, models.ErrNotFound) || (err == nil && (!u.Active || u.Role != models.RoleAdmin)) {
		return models.Invalid("break_glass_user_id", "must be an active administrator")
	}
	return err
}
