package sso

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
	dsig "github.com/russellhaering/goxmldsig"

	"rampart/app/auth"
	"rampart/models"
)

// SAML 2.0 service provider: one per SAML provider row, with its own key
// pair. Sign-ins go to the identity provider with the HTTP-Redirect
// binding (a signed AuthnRequest) and come back to the ACS with the
// HTTP-POST binding. crewjam/saml checks the response: the IdP's signature
// over the assertion or over the whole response (an unsigned assertion in
// an unsigned response is refused), issuer, destination and recipient,
// audience, NotBefore/NotOnOrAfter (180 s of clock skew) and InResponseTo;
// the signed element is what is read, so a second assertion wrapped around
// or beside the signed one is never the one used. Pending requests live in
// sso_logins and used assertions in saml_assertions, so that every
// instance sees them.

// maxSAMLResponse bounds the posted response (base64) and IdP metadata.
const (
	maxSAMLResponse = 256 << 10
	maxSAMLMetadata = 1 << 20
)

func samlBase(baseURL, slug string) string {
	return strings.TrimRight(baseURL, "/") + "/api/v1/auth/saml/" + url.PathEscape(slug)
}

// SAMLMetadataURL is this service provider's metadata for the provider
// slug; it is also the SP entity id.
func SAMLMetadataURL(baseURL, slug string) string { return samlBase(baseURL, slug) + "/metadata" }

// SAMLACSURL is where the identity provider posts its responses.
func SAMLACSURL(baseURL, slug string) string { return samlBase(baseURL, slug) + "/acs" }

// newSPKeyPair makes the service provider's RSA key and a self-signed
// certificate for it (IdPs take the certificate only as a container for
// the public key), both PEM.
func newSPKeyPair(slug string, now time.Time) (keyPEM, certPEM string, err error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return "", "", err
	}
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "Rampart SAML " + slug},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(20, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", err
	}
	keyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	certPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	return keyPEM, certPEM, nil
}

func parseSPKeyPair(keyPEM, certPEM string) (*rsa.PrivateKey, *x509.Certificate, error) {
	kb, _ := pem.Decode([]byte(keyPEM))
	cb, _ := pem.Decode([]byte(certPEM))
	if kb == nil || cb == nil {
		return nil, nil, errors.New("the service provider key pair is missing")
	}
	key, err := x509.ParsePKCS1PrivateKey(kb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	return key, cert, err
}

// ParseIdPMetadata reads an identity provider's metadata and checks that
// Rampart can use it: an IdP with an HTTP-Redirect single sign-on service
// and a signing certificate.
func ParseIdPMetadata(raw string) (*saml.EntityDescriptor, error) {
	if len(raw) > maxSAMLMetadata {
		return nil, errors.New("is larger than 1 MB")
	}
	md, err := samlsp.ParseMetadata([]byte(raw))
	if err != nil {
		return nil, errors.New("is not SAML 2.0 identity provider metadata")
	}
	if md.EntityID == "" || len(md.IDPSSODescriptors) == 0 {
		return nil, errors.New("describes no identity provider (IDPSSODescriptor)")
	}
	redirect, signing := false, false
	for _, d := range md.IDPSSODescriptors {
		for _, s := range d.SingleSignOnServices {
			redirect = redirect || s.Binding == saml.HTTPRedirectBinding
		}
		for _, k := range d.KeyDescriptors {
			signing = signing || (k.Use == "" || k.Use == "signing") && len(k.KeyInfo.X509Data.X509Certificates) > 0
		}
	}
	if !redirect {
		return nil, errors.New("offers no single sign-on service with the HTTP-Redirect binding")
	}
	if !signing {
		return nil, errors.New("has no signing certificate")
	}
	return md, nil
}

// serviceProvider is the crewjam service provider for cfg, at the
// service's clock.
func (s *Service) serviceProvider(ctx context.Context, cfg *models.SSOProvider) (*saml.ServiceProvider, error) {
	key, cert, err := parseSPKeyPair(cfg.SAMLSPKey, cfg.SAMLSPCertificate)
	if err != nil {
		return nil, err
	}
	md, err := ParseIdPMetadata(cfg.SAMLIdPMetadata)
	if err != nil {
		return nil, fmt.Errorf("identity provider metadata %w", err)
	}
	mu, _ := url.Parse(SAMLMetadataURL(s.BaseURL, cfg.Slug))
	acs, _ := url.Parse(SAMLACSURL(s.BaseURL, cfg.Slug))
	sp := &saml.ServiceProvider{EntityID: mu.String(), Key: key, Certificate: cert, MetadataURL: *mu, AcsURL: *acs, IDPMetadata: md,
		AuthnNameIDFormat: saml.UnspecifiedNameIDFormat, AllowIDPInitiated: cfg.SAMLAllowIdPInitiated,
		SignatureMethod: dsig.RSASHA256SignatureMethod, AssertionConsumerServiceBindings: []string{saml.HTTPPostBinding},
		ReplayCache: &replayCache{ctx: ctx, s: s, providerID: cfg.ID}}
	if s.Now != nil {
		sp.Clock = dsig.NewFakeClockAt(s.now())
	}
	return sp, nil
}

// replayCache remembers accepted assertions in the database.
type replayCache struct {
	ctx        context.Context
	s          *Service
	providerID string
}

func (r *replayCache) Consume(assertionID string, expiresAt time.Time) error {
	sum := sha256.Sum256([]byte(r.providerID + "\x00" + assertionID))
	err := models.ConsumeSAMLAssertion(r.ctx, r.s.DB, hex.EncodeToString(sum[:]), r.providerID, expiresAt, r.s.now())
	if errors.Is(err, models.ErrConflict) {
		return saml.ErrAssertionReplayed
	}
	return err
}

// SAMLMetadata is this service provider's metadata for the provider slug
// (enabled or not, so that it can be registered at the IdP first).
func (s *Service) SAMLMetadata(ctx context.Context, slug string) ([]byte, error) {
	cfg, err := models.SAMLProviderBySlug(ctx, s.DB, slug)
	if err != nil {
		return nil, err
	}
	sp, err := s.serviceProvider(ctx, cfg)
	if err != nil {
		return nil, err
	}
	el, err := sp.SignedMetadata()
	if err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	doc.SetRoot(el)
	return doc.WriteToBytes()
}

func pendingID(requestID string) string { return hashState("saml:" + requestID) }

// SAMLStart begins an SP-initiated sign-in: the address of the identity
// provider with a signed AuthnRequest, and the request's id, which the
// caller keeps in the browser (BrowserRequest) to bind the answer to it;
// the request is remembered with the safe return path, and RelayState
// carries only that path.
func (s *Service) SAMLStart(ctx context.Context, slug, returnTo string) (redirect, requestID string, err error) {
	cfg, err := models.SSOProviderBySlug(ctx, s.DB, slug)
	if err != nil {
		return "", "", err
	}
	if !cfg.IsSAML() {
		return "", "", models.ErrNotFound
	}
	sp, err := s.serviceProvider(ctx, cfg)
	if err != nil {
		return "", "", refused("provider_misconfigured", "This sign-in option is not set up correctly. Ask an administrator.", err)
	}
	req, err := sp.MakeAuthenticationRequest(sp.GetSSOBindingLocation(saml.HTTPRedirectBinding), saml.HTTPRedirectBinding, saml.HTTPPostBinding)
	if err != nil {
		return "", "", refused("provider_misconfigured", "This sign-in option is not set up correctly. Ask an administrator.", err)
	}
	now := s.now()
	_ = models.PurgeSSOLogins(ctx, s.DB, now)
	back := SafeReturn(returnTo)
	login := &models.SSOLogin{ID: pendingID(req.ID), ProviderID: cfg.ID, ReturnTo: back, ExpiresAt: now.Add(LoginTTL), CreatedAt: now}
	if err := s.DB.WithContext(ctx).Create(login).Error; err != nil {
		return "", "", err
	}
	u, err := req.Redirect(back, sp)
	if err != nil {
		return "", "", err
	}
	return u.String(), req.ID, nil
}

// ACSPost is what an identity provider posted to the ACS.
type ACSPost struct {
	Slug         string
	SAMLResponse string
	RelayState   string
	// SimpleSign or artifact fields: not accepted.
	Other bool
	// Bound: an answer to a sign-in started here must come to the browser
	// that started it, which holds the request's id (BrowserRequest).
	// Otherwise someone could start a sign-in, take the IdP's answer for
	// their own account and have another person's browser post it (login
	// CSRF). The id travels in a SameSite=None cookie, which browsers keep
	// only over https, so the binding holds on https deployments.
	Bound          bool
	BrowserRequest string
}

// SAMLFinish checks a posted response and signs its subject in; it returns
// where to land. Every refusal is audited.
func (s *Service) SAMLFinish(ctx context.Context, p ACSPost, o auth.Origin) (*auth.SignedIn, string, error) {
	signed, returnTo, err := s.samlFinish(ctx, p, o)
	if err != nil {
		return nil, "", s.refusal(ctx, "saml:"+p.Slug, err, o)
	}
	return signed, returnTo, nil
}

func (s *Service) samlFinish(ctx context.Context, p ACSPost, o auth.Origin) (*auth.SignedIn, string, error) {
	cfg, err := models.SSOProviderBySlug(ctx, s.DB, p.Slug)
	if err != nil || !cfg.IsSAML() {
		return nil, "", refused("unknown_provider", "That sign-in option is not available.", err)
	}
	if p.Other || p.SAMLResponse == "" {
		return nil, "", refused("response_missing", "The identity provider sent no SAML response Rampart accepts (HTTP-POST binding only).", nil)
	}
	if len(p.SAMLResponse) > maxSAMLResponse {
		return nil, "", refused("response_unreadable", "The identity provider's response is too large.", nil)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(p.SAMLResponse))
	if err != nil {
		return nil, "", refused("response_unreadable", "The identity provider's response could not be read.", err)
	}
	// The request it answers is read before the response is verified, only
	// to find the pending sign-in; the verification then checks it.
	inResponseTo, err := responseInResponseTo(raw)
	if err != nil {
		return nil, "", refused("response_unreadable", "The identity provider's response could not be read.", err)
	}
	now := s.now()
	var ids []string
	var login *models.SSOLogin
	if inResponseTo == "" {
		if !cfg.SAMLAllowIdPInitiated {
			return nil, "", refused("idp_initiated_off", "Sign-ins started at "+cfg.DisplayName+" are not accepted. Start from Rampart's sign-in page.", nil)
		}
	} else {
		login, err = models.PeekSSOLogin(ctx, s.DB, pendingID(inResponseTo), now)
		if err != nil || login.ProviderID != cfg.ID {
			return nil, "", refused("request_unknown", "This sign-in expired, was already used, or was not started here. Start again.", err)
		}
		if p.Bound && subtle.ConstantTimeCompare([]byte(p.BrowserRequest), []byte(inResponseTo)) != 1 {
			return nil, "", refused("other_browser", "This sign-in was started in another browser. Start again from Rampart's sign-in page.", nil)
		}
		ids = []string{inResponseTo}
	}
	sp, err := s.serviceProvider(ctx, cfg)
	if err != nil {
		return nil, "", refused("provider_misconfigured", "This sign-in option is not set up correctly. Ask an administrator.", err)
	}
	assertion, err := sp.ParseXMLResponse(raw, ids, sp.AcsURL)
	if err != nil {
		return nil, "", samlRefusal(err)
	}
	returnTo := SafeReturn(p.RelayState)
	if login != nil {
		if _, err := models.TakeSSOLogin(ctx, s.DB, login.ID, now); err != nil {
			return nil, "", refused("request_unknown", "This sign-in expired or was already used. Start again.", err)
		}
		returnTo = login.ReturnTo
	}
	subject, claims := samlClaims(cfg, assertion)
	if subject == "" {
		return nil, "", refused("no_subject", cfg.DisplayName+" did not say who you are (no NameID or email).", nil)
	}
	u, err := s.user(ctx, cfg, subject, claims, o)
	if err != nil {
		return nil, "", err
	}
	signed, err := s.Auth.SignInExternal(ctx, u, label(cfg), "via "+cfg.DisplayName+" (SAML)", o)
	if err != nil {
		return nil, "", refused("account_inactive", "Your Rampart account is deactivated. Ask an administrator.", err)
	}
	return signed, returnTo, nil
}

// responseInResponseTo reads the InResponseTo of an unverified response.
func responseInResponseTo(raw []byte) (string, error) {
	doc := etree.NewDocument()
	doc.ReadSettings.Permissive = false
	if err := doc.ReadFromBytes(raw); err != nil {
		return "", err
	}
	root := doc.Root()
	if root == nil || root.Tag != "Response" {
		return "", errors.New("not a SAML Response")
	}
	return root.SelectAttrValue("InResponseTo", ""), nil
}

// samlRefusal names what crewjam refused, for the person and the audit
// trail (which keeps crewjam's own reason).
func samlRefusal(err error) *Error {
	cause := err
	var ire *saml.InvalidResponseError
	if errors.As(err, &ire) && ire.PrivateErr != nil {
		cause = ire.PrivateErr
	}
	is := func(target error) bool { return errors.Is(cause, target) }
	switch {
	case is(saml.ErrAssertionReplayed):
		return refused("assertion_replayed", "This sign-in answer was already used. Start again.", cause)
	case is(saml.ErrInvalidSignature), is(saml.ErrUntrustedCertificate), is(saml.ErrCertificateNotValidNow):
		return refused("signature_invalid", "The identity provider's answer is not signed by it, so it was refused.", cause)
	case is(saml.ErrAudienceMismatch):
		return refused("audience_mismatch", "The identity provider's answer was meant for another application.", cause)
	case is(saml.ErrDestinationMismatch):
		return refused("destination_mismatch", "The identity provider's answer was sent to another address.", cause)
	case is(saml.ErrExpired), is(saml.ErrNotYetValid):
		return refused("assertion_expired", "The identity provider's answer has expired (or the clocks disagree). Start again.", cause)
	case is(saml.ErrRequestIDMismatch):
		return refused("request_unknown", "This sign-in expired, was already used, or was not started here. Start again.", cause)
	case is(saml.ErrIssuerMismatch):
		return refused("issuer_mismatch", "The answer came from another identity provider.", cause)
	}
	var bad saml.ErrBadStatus
	if errors.As(cause, &bad) {
		return refused("provider_refused", "The identity provider did not sign you in.", cause)
	}
	return refused("assertion_invalid", "The identity provider's answer could not be verified.", cause)
}

// samlClaims turns an assertion into the subject and the claims the
// OpenID Connect path reads: the email (attribute, else an email NameID)
// is the one the IdP signed, so it counts as verified.
func samlClaims(cfg *models.SSOProvider, a *saml.Assertion) (string, map[string]any) {
	values := map[string][]string{}
	for _, st := range a.AttributeStatements {
		for _, at := range st.Attributes {
			for _, v := range at.Values {
				if v.Value == "" {
					continue
				}
				for _, n := range []string{at.Name, at.FriendlyName} {
					if n != "" {
						values[n] = append(values[n], v.Value)
					}
				}
			}
		}
	}
	first := func(name string) string {
		if vs := values[name]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	nameID, format := "", ""
	if a.Subject != nil && a.Subject.NameID != nil {
		nameID, format = strings.TrimSpace(a.Subject.NameID.Value), a.Subject.NameID.Format
	}
	email := first(cfg.SAMLEmailAttribute)
	if email == "" && (format == string(saml.EmailAddressNameIDFormat) || strings.Contains(nameID, "@")) {
		email = nameID
	}
	claims := map[string]any{"email": email, "email_verified": email != "", "name": first(cfg.SAMLNameAttribute)}
	groups := []any{}
	for _, g := range values[cfg.GroupsClaim] {
		groups = append(groups, g)
	}
	claims[cfg.GroupsClaim] = groups
	// A transient NameID changes at every sign-in: the email identifies.
	subject := nameID
	if format == string(saml.TransientNameIDFormat) || subject == "" {
		subject = ""
		if email != "" {
			subject = "email:" + models.NormalizeEmail(email)
		}
	}
	return truncate(subject, 500), claims
}

// label names the provider in the audit trail: oidc:<slug> or saml:<slug>.
func label(cfg *models.SSOProvider) string {
	if cfg.IsSAML() {
		return "saml:" + cfg.Slug
	}
	return "oidc:" + cfg.Slug
}

// FetchIdPMetadata reads metadata from url with the webhooks' rules for
// addresses: https, no private address unless the service allows them.
func (s *Service) FetchIdPMetadata(ctx context.Context, raw string) (string, string) {
	if msg := s.checkMetadataURL(ctx, raw); msg != "" {
		return "", msg
	}
	u, _ := url.Parse(raw)
	req, err := httpGet(ctx, u.String())
	if err != nil {
		return "", "could not be read"
	}
	resp, err := s.metadataClient().Do(req)
	if err != nil {
		return "", "could not be reached"
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return "", fmt.Sprintf("answered %d", resp.StatusCode)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(limitReader(resp.Body, maxSAMLMetadata+1)); err != nil {
		return "", "could not be read"
	}
	return buf.String(), ""
}
