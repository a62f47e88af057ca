// Package ssotest runs a real OpenID Connect provider for tests: zitadel's
// OpenID Provider (github.com/zitadel/oidc/v3, its example server's login
// page and in-memory storage) on a local port, with the users and groups a
// test gives it. Nothing of it is in the rampart binary.
package ssotest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"golang.org/x/text/language"
)

// GroupsScope is the scope that makes the provider send a user's groups
// (in the "groups" claim of the ID token): the example storage lets
// clients ask for this one custom scope.
const GroupsScope = storage.CustomScope

// User is a person the provider knows.
type User struct {
	ID, Username, Password, Email, First, Last string
	EmailVerified                              bool
	Groups                                     []string
}

// Provider is a running OpenID provider.
type Provider struct {
	Issuer string
	server *httptest.Server
	store  *withGroups

	mu     sync.Mutex
	tamper func(claims map[string]any) (forge bool)
}

// Tamper makes the provider change each ID token it issues from now on:
// fn edits the claims, and the token is signed again with the provider's
// own key, or with a stranger's when fn returns true (a forgery). nil
// stops it.
func (p *Provider) Tamper(fn func(claims map[string]any) (forge bool)) {
	p.mu.Lock()
	p.tamper = fn
	p.mu.Unlock()
}

// rewrite is the token endpoint's answer with its ID token tampered with.
func (p *Provider) rewrite(body []byte) ([]byte, error) {
	p.mu.Lock()
	fn := p.tamper
	p.mu.Unlock()
	var resp map[string]any
	if fn == nil || json.Unmarshal(body, &resp) != nil {
		return body, nil
	}
	raw, _ := resp["id_token"].(string)
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return body, nil
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	claims := map[string]any{}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return nil, err
	}
	forge := fn(claims)
	sk, err := p.store.SigningKey(context.Background())
	if err != nil {
		return nil, err
	}
	key := sk.Key()
	if forge {
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, err
		}
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", sk.ID()))
	if err != nil {
		return nil, err
	}
	out, err := json.Marshal(claims)
	if err != nil {
		return nil, err
	}
	jws, err := signer.Sign(out)
	if err != nil {
		return nil, err
	}
	if resp["id_token"], err = jws.CompactSerialize(); err != nil {
		return nil, err
	}
	return json.Marshal(resp)
}

type users struct {
	mu sync.Mutex
	by map[string]*storage.User
}

func (u *users) GetUserByID(id string) *storage.User {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.by[id]
}

func (u *users) GetUserByUsername(name string) *storage.User {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, x := range u.by {
		if x.Username == name {
			return x
		}
	}
	return nil
}

func (u *users) ExampleClientID() string { return storage.ServiceUserID }

// withGroups adds the groups claim to what the example storage asserts.
type withGroups struct {
	*storage.Storage
	groups map[string][]string
}

func (s *withGroups) SetUserinfoFromScopes(ctx context.Context, ui *oidc.UserInfo, userID, clientID string, scopes []string) error {
	if err := s.Storage.SetUserinfoFromScopes(ctx, ui, userID, clientID, scopes); err != nil {
		return err
	}
	if slices.Contains(scopes, GroupsScope) {
		ui.AppendClaims("groups", s.groups[userID])
	}
	return nil
}

// Client is an application registered at the provider.
type Client struct {
	ID, Secret string
	Redirect   string
}

// Start runs a provider with people and clients until the test ends.
func Start(t testing.TB, people []User, clients ...Client) *Provider {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := Serve(ln, people, clients...)
	t.Cleanup(p.Close)
	return p
}

// Serve runs a provider on ln until Close.
func Serve(ln net.Listener, people []User, clients ...Client) *Provider {
	issuer := "http://" + ln.Addr().String() + "/"
	us := &users{by: map[string]*storage.User{}}
	groups := map[string][]string{}
	for _, p := range people {
		us.by[p.ID] = &storage.User{ID: p.ID, Username: p.Username, Password: p.Password, Email: p.Email, EmailVerified: p.EmailVerified,
			FirstName: p.First, LastName: p.Last, PreferredLanguage: language.English}
		groups[p.ID] = p.Groups
	}
	cs := map[string]*storage.Client{}
	for _, c := range clients {
		cs[c.ID] = storage.WebClient(c.ID, c.Secret, c.Redirect)
	}
	st := &withGroups{Storage: storage.NewStorageWithClients(us, cs), groups: groups}
	p := &Provider{Issuer: issuer, store: st}
	op := exampleop.SetupServer(issuer, st, nil, false)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth/token" {
			op.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		op.ServeHTTP(rec, r)
		body, err := p.rewrite(rec.Body.Bytes())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}))
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	p.server = srv
	return p
}

// Close stops the provider.
func (p *Provider) Close() { p.server.Close() }

// SignIn follows a browser's path from start (Rampart's start URL) through
// the provider's login form with username and password, and back to
// Rampart's callback, with client's cookies. It returns the last answer
// (Rampart's redirect after the callback is not followed).
func SignIn(client *http.Client, start, username, password string) (*http.Response, error) {
	stop := *client
	stop.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		// Stop once back at Rampart past its callback: its answer is the
		// sign-in's outcome.
		if len(via) > 0 && strings.Contains(via[len(via)-1].URL.Path, "/callback") && !strings.Contains(req.URL.Path, "/callback") &&
			!strings.HasPrefix(req.URL.Path, "/login") {
			return http.ErrUseLastResponse
		}
		return nil
	}
	resp, err := stop.Get(start)
	if err != nil {
		return nil, err
	}
	_ = resp.Body.Close()
	if !strings.HasPrefix(resp.Request.URL.Path, "/login/username") {
		return resp, nil // refused before the login form
	}
	id := resp.Request.URL.Query().Get("authRequestID")
	if id == "" {
		return nil, fmt.Errorf("no auth request id at %s", resp.Request.URL)
	}
	form := url.Values{"id": {id}, "username": {username}, "password": {password}}
	login := resp.Request.URL.Scheme + "://" + resp.Request.URL.Host + "/login/username"
	return stop.PostForm(login, form)
}
