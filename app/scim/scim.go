// Package scim lets an identity provider (Entra ID, Okta, Google, Keycloak)
// provision Rampart accounts over SCIM 2.0 (RFC 7643/7644): it creates,
// updates and deactivates users ahead of any sign-in and pushes groups,
// whose membership gives each user a role through the provider's role
// mappings, the same mappings its sign-in's groups claim goes through.
//
// The protocol (schemas, resource types, filters, PATCH paths, list
// responses, errors) is github.com/elimity-com/scim's; this package stores
// what it is told. Each provider has a bearer token of its own, stored
// hashed; a request carries the provider it authenticated as in its
// context, and reaches only the accounts and groups that provider manages.
package scim

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"time"

	scimlib "github.com/elimity-com/scim"
	"github.com/elimity-com/scim/optional"
	"github.com/elimity-com/scim/schema"
	"gorm.io/gorm"

	"rampart/models"
)

// Entra ID sends booleans as the strings "True" and "False" in PATCH
// operations; the library accepts them only with this switch, which it
// keeps package-wide.
func init() { schema.SetAllowStringValues(true) }

// TokenPrefix starts every SCIM token, so that a leaked one is recognisable
// (secret scanners) and never mistaken for an API token.
const TokenPrefix = "rsc_"

// NewToken makes a provider's bearer token: the secret shown once, its
// hash to store and the prefix shown afterwards.
func NewToken() (secret, hash, prefix string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	secret = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret), secret[:len(TokenPrefix)+6]
}

// HashToken is what is stored of a token and looked up by.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Origin is where a request came from, for the audit trail.
type Origin struct{ RequestID, ClientIP string }

type ctxKey int

const (
	providerKey ctxKey = iota
	originKey
)

// WithProvider marks a request as authenticated as the provider.
func WithProvider(ctx context.Context, p *models.SSOProvider, o Origin) context.Context {
	return context.WithValue(context.WithValue(ctx, providerKey, p), originKey, o)
}

func providerOf(r *http.Request) *models.SSOProvider {
	p, _ := r.Context().Value(providerKey).(*models.SSOProvider)
	return p
}

func originOf(r *http.Request) Origin {
	o, _ := r.Context().Value(originKey).(Origin)
	return o
}

// Service stores what providers provision.
type Service struct {
	DB  *gorm.DB
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Authenticate finds the provider a bearer token belongs to and
// notes its use.
func (s *Service) Authenticate(ctx context.Context, bearer string) (*models.SSOProvider, error) {
	p, err := models.SSOProviderBySCIMToken(ctx, s.DB, HashToken(bearer))
	if err != nil {
		return nil, err
	}
	return p, models.TouchSCIMToken(ctx, s.DB, p.ID, s.now())
}

// Handler serves /Users, /Groups and the discovery endpoints (/Schemas,
// /ResourceTypes, /ServiceProviderConfig) below baseURL; requests must
// carry their provider (WithProvider).
func (s *Service) Handler(baseURL string) (http.Handler, error) {
	userSchema := schema.CoreUserSchema()
	groupSchema := schema.CoreGroupSchema()
	srv, err := scimlib.NewServer(&scimlib.ServerArgs{
		ServiceProviderConfig: &scimlib.ServiceProviderConfig{
			AuthenticationSchemes: []scimlib.AuthenticationScheme{{Type: scimlib.AuthenticationTypeOauthBearerToken, Name: "Bearer token",
				Description: "The provider's SCIM token from Settings → Single sign-on", Primary: true}},
			MaxResults: maxResults, SupportFiltering: true, SupportPatch: true,
		},
		ResourceTypes: []scimlib.ResourceType{
			{ID: optional.NewString("User"), Name: "User", Endpoint: "/Users", Description: optional.NewString("A Rampart account"),
				Schema: userSchema, Handler: users{s}},
			{ID: optional.NewString("Group"), Name: "Group", Endpoint: "/Groups", Description: optional.NewString("A group whose members get the role it maps to"),
				Schema: groupSchema, Handler: groups{s}},
		},
	}, scimlib.WithBaseURL(baseURL))
	if err != nil {
		return nil, err
	}
	return srv, nil
}

// maxResults bounds a list page: a provider pages with startIndex.
const maxResults = 200

// page cuts the 1-based window a list request asks for.
func page[T any](all []T, params scimlib.ListRequestParams) []T {
	start := max(params.StartIndex, 1) - 1
	if start >= len(all) {
		return nil
	}
	end := len(all)
	if params.Count >= 0 && start+params.Count < end {
		end = start + params.Count
	}
	return all[start:end]
}
