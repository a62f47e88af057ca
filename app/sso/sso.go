// Package sso signs people in through OpenID Connect identity providers:
// the authorization code flow with PKCE, state and nonce, the ID token
// checked by go-oidc (signature against the provider's published keys,
// issuer, audience, expiry), users matched by the provider's subject or a
// verified email, created on first sign-in when allowed, and roles taken
// from the provider's groups (docs/security.md#single-sign-on).
package sso

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/models"
)

// LoginTTL is how long a sign-in may stay at the provider.
const LoginTTL = 10 * time.Minute

// Service runs sign-ins and keeps the providers' discovery documents.
type Service struct {
	DB   *gorm.DB
	Auth *auth.Service
	// BaseURL is Rampart's public address: the callback is under it.
	BaseURL string
	Now     func() time.Time
	// Client talks to the providers (nil: a client with a 10 s timeout).
	Client *http.Client
	// AllowPrivateMetadata lets SAML metadata be fetched from private
	// addresses (tests; an IdP on the same network).
	AllowPrivateMetadata bool

	mu        sync.Mutex
	providers map[string]*oidc.Provider // by issuer
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) client() *http.Client {
	if s.Client != nil {
		return s.Client
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// CallbackURL is where a provider sends people back; admins register it at
// the provider.
func CallbackURL(baseURL, slug string) string {
	return strings.TrimRight(baseURL, "/") + "/api/v1/auth/sso/" + url.PathEscape(slug) + "/callback"
}

// discover returns the provider at issuer, read once per process (go-oidc
// then refreshes its signing keys when it meets a key id it does not know).
func (s *Service) discover(ctx context.Context, issuer string) (*oidc.Provider, error) {
	s.mu.Lock()
	p, ok := s.providers[issuer]
	s.mu.Unlock()
	if ok {
		return p, nil
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.client()), 15*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.providers == nil {
		s.providers = map[string]*oidc.Provider{}
	}
	s.providers[issuer] = p
	s.mu.Unlock()
	return p, nil
}

// Forget drops what was read of issuer (its settings changed).
func (s *Service) Forget(issuer string) {
	s.mu.Lock()
	delete(s.providers, issuer)
	s.mu.Unlock()
}

func (s *Service) oauth(p *oidc.Provider, cfg *models.SSOProvider) *oauth2.Config {
	return &oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: CallbackURL(s.BaseURL, cfg.Slug), Scopes: cfg.Scopes}
}

func random() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashState(state string) string {
	sum := sha256.Sum256([]byte(state))
	return hex.EncodeToString(sum[:])
}

// SafeReturn keeps only a path inside this app: an absolute URL, a
// scheme-relative "//host" or a backslash trick would make the sign-in an
// open redirect.
func SafeReturn(to string) string {
	if to == "" || !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") || strings.ContainsAny(to, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(to)
	if err != nil || u.IsAbs() || u.Host != "" {
		return "/"
	}
	return to
}

// Start begins a sign-in with the provider slug: it returns the address to
// send the browser to and the state to keep in its cookie.
func (s *Service) Start(ctx context.Context, slug, returnTo string) (redirect, state string, err error) {
	cfg, err := models.SSOProviderBySlug(ctx, s.DB, slug)
	if err != nil {
		return "", "", err
	}
	if cfg.IsSAML() {
		return "", "", models.ErrNotFound
	}
	p, err := s.discover(ctx, cfg.Issuer)
	if err != nil {
		return "", "", &Error{Code: "provider_unreachable", Message: "The identity provider could not be reached. Try again, or sign in with a password.", cause: err}
	}
	state, nonce, verifier := random(), random(), oauth2.GenerateVerifier()
	now := s.now()
	_ = models.PurgeSSOLogins(ctx, s.DB, now)
	login := &models.SSOLogin{ID: hashState(state), ProviderID: cfg.ID, Nonce: nonce, Verifier: verifier, ReturnTo: SafeReturn(returnTo),
		ExpiresAt: now.Add(LoginTTL), CreatedAt: now}
	if err := s.DB.WithContext(ctx).Create(login).Error; err != nil {
		return "", "", err
	}
	return s.oauth(p, cfg).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), state, nil
}

// Error is a refused sign-in: Code names it for the sign-in page and the
// audit trail, Message says it to the person.
type Error struct {
	Code    string
	Message string
	cause   error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return e.Code + ": " + e.cause.Error()
	}
	return e.Code
}

func (e *Error) Unwrap() error { return e.cause }

func refused(code, msg string, cause error) *Error {
	return &Error{Code: code, Message: msg, cause: cause}
}

// Callback is what the provider sent back.
type Callback struct {
	Slug        string
	State       string // the query's state
	CookieState string // the state this browser started with
	Code        string
	Error       string // the provider's error, e.g. access_denied
}

// Finish completes a sign-in: it checks the state against the browser's
// and the stored sign-in (used once), redeems the code with the PKCE
// verifier, verifies the ID token and its nonce, finds or creates the user
// and opens a session. Every refusal is audited.
func (s *Service) Finish(ctx context.Context, cb Callback, o auth.Origin) (*auth.SignedIn, string, error) {
	signed, returnTo, err := s.finish(ctx, cb, o)
	if err != nil {
		return nil, "", s.refusal(ctx, "oidc:"+cb.Slug, err, o)
	}
	return signed, returnTo, nil
}

// refusal audits a refused sign-in by the provider labelled label and
// returns it as an Error for the sign-in page; an error that is not one
// already becomes a general failure.
func (s *Service) refusal(ctx context.Context, label string, err error, o auth.Origin) *Error {
	var e *Error
	if !errors.As(err, &e) {
		e = refused("failed", "Signing in with the identity provider failed. Try again, or sign in with a password.", err)
	}
	_ = models.AppendAudit(ctx, s.DB, &models.AuditEvent{ActorType: models.ActorAnonymous, ActorLabel: label,
		Action: "auth.sign_in_failed", Outcome: models.OutcomeDenied, Detail: truncate(label+": "+e.Error(), 500),
		RequestID: o.RequestID, ClientIP: o.ClientIP})
	return e
}

func (s *Service) finish(ctx context.Context, cb Callback, o auth.Origin) (*auth.SignedIn, string, error) {
	if cb.Error != "" {
		return nil, "", refused("provider_refused", "The identity provider did not sign you in ("+truncate(cb.Error, 60)+").", nil)
	}
	if cb.State == "" || cb.CookieState == "" || cb.State != cb.CookieState {
		return nil, "", refused("state_mismatch", "This sign-in did not start in this browser, or it was already used. Start again.", nil)
	}
	login, err := models.TakeSSOLogin(ctx, s.DB, hashState(cb.State), s.now())
	if err != nil {
		return nil, "", refused("state_unknown", "This sign-in expired or was already used. Start again.", err)
	}
	cfg, err := models.SSOProviderBySlug(ctx, s.DB, cb.Slug)
	if err != nil || cfg.ID != login.ProviderID || cfg.IsSAML() {
		return nil, "", refused("provider_mismatch", "This sign-in was started with another identity provider. Start again.", err)
	}
	p, err := s.discover(ctx, cfg.Issuer)
	if err != nil {
		return nil, "", refused("provider_unreachable", "The identity provider could not be reached. Try again.", err)
	}
	hctx := oidc.ClientContext(ctx, s.client())
	tok, err := s.oauth(p, cfg).Exchange(hctx, cb.Code, oauth2.VerifierOption(login.Verifier))
	if err != nil {
		return nil, "", refused("code_refused", "The identity provider refused the sign-in code. Start again.", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, "", refused("no_id_token", "The identity provider sent no ID token.", nil)
	}
	verifier := p.VerifierContext(hctx, &oidc.Config{ClientID: cfg.ClientID, Now: s.now})
	idt, err := verifier.Verify(hctx, raw)
	if err != nil {
		return nil, "", refused("id_token_invalid", "The identity provider's answer could not be verified.", err)
	}
	if idt.Nonce != login.Nonce {
		return nil, "", refused("nonce_mismatch", "The identity provider's answer was not for this sign-in.", nil)
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return nil, "", refused("claims_unreadable", "The identity provider's answer could not be read.", err)
	}
	if _, ok := claims["email"]; !ok {
		// Many providers keep the profile for the userinfo endpoint.
		if ui, err := p.UserInfo(hctx, oauth2.StaticTokenSource(tok)); err == nil && ui.Subject == idt.Subject {
			extra := map[string]any{}
			if ui.Claims(&extra) == nil {
				for k, v := range extra {
					if _, ok := claims[k]; !ok {
						claims[k] = v
					}
				}
			}
		}
	}
	u, err := s.user(ctx, cfg, idt.Subject, claims, o)
	if err != nil {
		return nil, "", err
	}
	signed, err := s.Auth.SignInExternal(ctx, u, label(cfg), "via "+cfg.DisplayName+" (OpenID Connect)", o)
	if err != nil {
		return nil, "", refused("account_inactive", "Your Rampart account is deactivated. Ask an administrator.", err)
	}
	return signed, login.ReturnTo, nil
}

// Profile is what a provider said about a person.
type Profile struct {
	Email    string
	Verified bool
	Name     string
	Groups   []string
}

// ProfileOf reads the standard claims and the provider's groups claim.
func ProfileOf(cfg *models.SSOProvider, claims map[string]any) Profile {
	pr := Profile{Email: models.NormalizeEmail(str(claims["email"])), Name: strings.TrimSpace(str(claims["name"]))}
	switch v := claims["email_verified"].(type) {
	case bool:
		pr.Verified = v
	case string:
		pr.Verified = v == "true"
	}
	if cfg.TrustEmail && pr.Email != "" {
		pr.Verified = true
	}
	if pr.Name == "" {
		pr.Name = strings.TrimSpace(str(claims["given_name"]) + " " + str(claims["family_name"]))
	}
	switch g := claims[cfg.GroupsClaim].(type) {
	case []any:
		for _, x := range g {
			if s := str(x); s != "" {
				pr.Groups = append(pr.Groups, s)
			}
		}
	case string:
		pr.Groups = strings.Fields(strings.ReplaceAll(g, ",", " "))
	}
	return pr
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// RoleFor is the role the first mapping whose group the person is in
// gives, else the provider's default; false when neither.
func RoleFor(cfg *models.SSOProvider, groups []string) (models.Role, bool) {
	for _, m := range cfg.RoleMappings {
		if slices.Contains(groups, m.Group) {
			return m.Role, true
		}
	}
	if cfg.DefaultRole != "" {
		return cfg.DefaultRole, true
	}
	return "", false
}

// user finds the person the provider vouched for: by subject, else by a
// verified email (then linked), else a new user when the provider may
// create them. A group mapping also sets the role of a known user.
func (s *Service) user(ctx context.Context, cfg *models.SSOProvider, subject string, claims map[string]any, o auth.Origin) (*models.User, error) {
	pr := ProfileOf(cfg, claims)
	mapped, hasRole := RoleFor(cfg, pr.Groups)
	if !hasRole {
		return nil, refused("no_role", "Your account at "+cfg.DisplayName+" is in no group that has access to Rampart. Ask an administrator.", nil)
	}
	now := s.now()
	var out *models.User
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := models.IdentityUser(ctx, tx, cfg.ID, subject)
		if errors.Is(err, models.ErrNotFound) {
			if pr.Email == "" || !pr.Verified {
				return refused("email_unverified", cfg.DisplayName+" did not confirm your email address, so it cannot be matched to a Rampart account.", nil)
			}
			u, err = models.UserByEmail(ctx, tx, pr.Email)
			if errors.Is(err, models.ErrNotFound) {
				if !cfg.AllowCreate {
					return refused("no_account", "There is no Rampart account for "+pr.Email+". Ask an administrator to add you.", nil)
				}
				return s.create(ctx, tx, cfg, subject, pr, mapped, now, o, &out)
			}
		}
		if err != nil {
			return err
		}
		if err := models.LinkIdentity(ctx, tx, u.ID, cfg.ID, subject, pr.Email, now); err != nil {
			return err
		}
		if err := s.syncRole(ctx, tx, cfg, u, mapped, pr.Groups, o); err != nil {
			return err
		}
		out = u
		return nil
	})
	return out, err
}

func (s *Service) create(ctx context.Context, tx *gorm.DB, cfg *models.SSOProvider, subject string, pr Profile, role models.Role, now time.Time,
	o auth.Origin, out **models.User) error {
	name := pr.Name
	if name == "" {
		name = pr.Email
	}
	// No password: this account signs in through its provider (an admin
	// can still send a reset link).
	u := &models.User{Email: pr.Email, Name: truncate(name, 200), Role: role, Active: true, PasswordHash: "!sso"}
	if err := models.CreateUser(ctx, tx, u); err != nil {
		return err
	}
	if err := models.LinkIdentity(ctx, tx, u.ID, cfg.ID, subject, pr.Email, now); err != nil {
		return err
	}
	*out = u
	return models.AppendAudit(ctx, tx, &models.AuditEvent{ActorType: models.ActorSystem, ActorLabel: label(cfg), Action: "user.create",
		ObjectType: "user", ObjectID: u.ID, AfterData: models.AuditJSON(map[string]any{"email": u.Email, "name": u.Name, "role": u.Role}),
		Detail: "created at first sign-in through " + cfg.DisplayName, RequestID: o.RequestID, ClientIP: o.ClientIP})
}

// syncRole gives a known user the role their groups map to, when a mapping
// (not the default) matched, never taking the last administrator's role.
func (s *Service) syncRole(ctx context.Context, tx *gorm.DB, cfg *models.SSOProvider, u *models.User, mapped models.Role, groups []string, o auth.Origin) error {
	matched := slices.ContainsFunc(cfg.RoleMappings, func(m models.RoleMapping) bool { return slices.Contains(groups, m.Group) })
	if !matched || mapped == u.Role {
		return nil
	}
	if u.Role == models.RoleAdmin {
		n, err := models.LockActiveAdmins(ctx, tx)
		if err != nil {
			return err
		}
		if n <= 1 {
			return nil
		}
	}
	before := u.Role
	if err := tx.WithContext(ctx).Model(&models.User{}).Where("id = ?", u.ID).
		Updates(map[string]any{"role": mapped, "version": gorm.Expr("version + 1"), "updated_at": s.now()}).Error; err != nil {
		return err
	}
	u.Role = mapped
	return models.AppendAudit(ctx, tx, &models.AuditEvent{ActorType: models.ActorSystem, ActorLabel: label(cfg), Action: "user.role_change",
		ObjectType: "user", ObjectID: u.ID, BeforeData: models.AuditJSON(map[string]any{"role": before}), AfterData: models.AuditJSON(map[string]any{"role": mapped}),
		Detail: fmt.Sprintf("from the groups %s sent", cfg.DisplayName), RequestID: o.RequestID, ClientIP: o.ClientIP})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
