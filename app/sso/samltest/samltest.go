// Package samltest runs a SAML 2.0 identity provider (crewjam/saml's) for
// tests: it signs people in without a form (the test says who, with
// SignInAs) and reads the service provider's metadata from its URL, the
// SP's entity id.
package samltest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
)

// User is a person the IdP knows.
type User struct {
	Username string
	Email    string
	Name     string
	Groups   []string
}

// IdP is the identity provider.
type IdP struct {
	IDP      *saml.IdentityProvider
	URL      string
	Metadata string // the IdP's metadata XML

	server *http.Server
	mu     sync.Mutex
	users  map[string]User
	as     string
	extra  map[string]*saml.EntityDescriptor
}

// Serve starts the IdP on ln.
func Serve(ln net.Listener, people []User) (*IdP, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(now.UnixNano()), Subject: pkix.Name{CommonName: "samltest IdP"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, _ := x509.ParseCertificate(der)
	base := "http://" + ln.Addr().String()
	p := &IdP{URL: base, users: map[string]User{}, extra: map[string]*saml.EntityDescriptor{}}
	for _, u := range people {
		p.users[u.Username] = u
	}
	mu, _ := url.Parse(base + "/metadata")
	sso, _ := url.Parse(base + "/sso")
	p.IDP = &saml.IdentityProvider{Key: key, Certificate: cert, MetadataURL: *mu, SSOURL: *sso,
		ServiceProviderProvider: p, SessionProvider: p}
	md, err := xml.MarshalIndent(p.IDP.Metadata(), "", "  ")
	if err != nil {
		return nil, err
	}
	p.Metadata = string(md)
	mux := http.NewServeMux()
	mux.HandleFunc("/metadata", p.IDP.ServeMetadata)
	mux.HandleFunc("/sso", p.IDP.ServeSSO)
	mux.HandleFunc("/login", p.serveLogin)
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		// IdP-initiated: /start?sp=<entity id>&user=<name>&relay=<RelayState>
		p.SignInAs(r.URL.Query().Get("user"))
		p.IDP.ServeIDPInitiated(w, r, r.URL.Query().Get("sp"), r.URL.Query().Get("relay"))
	})
	p.server = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.server.Serve(ln) }()
	return p, nil
}

// Close stops the IdP.
func (p *IdP) Close() { _ = p.server.Close() }

// SignInAs makes the next sign-ins those of username ("" signs no one in).
func (p *IdP) SignInAs(username string) {
	p.mu.Lock()
	p.as = username
	p.mu.Unlock()
}

// Register makes the IdP know a service provider by hand (for example
// another SP whose ACS is Rampart's, to send an assertion meant for it).
func (p *IdP) Register(md *saml.EntityDescriptor) {
	p.mu.Lock()
	p.extra[md.EntityID] = md
	p.mu.Unlock()
}

// GetServiceProvider reads the SP's metadata from its entity id, a URL.
func (p *IdP) GetServiceProvider(_ *http.Request, id string) (*saml.EntityDescriptor, error) {
	p.mu.Lock()
	md, ok := p.extra[id]
	p.mu.Unlock()
	if ok {
		return md, nil
	}
	resp, err := http.Get(id) //nolint:gosec // test IdP: the SP's metadata URL
	if err != nil {
		return nil, os.ErrNotExist
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != 200 {
		return nil, os.ErrNotExist
	}
	var out saml.EntityDescriptor
	if err := xml.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	// Like most IdPs as first set up, this one does not encrypt: the
	// tests then see (and tamper with) the signed assertion.
	for i := range out.SPSSODescriptors {
		keys := out.SPSSODescriptors[i].KeyDescriptors[:0]
		for _, k := range out.SPSSODescriptors[i].KeyDescriptors {
			if k.Use != "encryption" {
				keys = append(keys, k)
			}
		}
		out.SPSSODescriptors[i].KeyDescriptors = keys
	}
	return &out, nil
}

// GetSession signs in the person SignInAs named, or asks who (a form a
// browser test fills in).
func (p *IdP) GetSession(w http.ResponseWriter, r *http.Request, req *saml.IdpAuthnRequest) *saml.Session {
	p.mu.Lock()
	name := p.as
	p.mu.Unlock()
	if ck, err := r.Cookie("samltest_user"); err == nil && name == "" {
		name = ck.Value
	}
	u, ok := p.users[name]
	if !ok {
		// A browser test's person says who they are; /login remembers it
		// in a cookie and comes back to this very request.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>Test IdP</title></head><body><main><h1>Test IdP</h1>`+
			`<form method="post" action="/login"><input type="hidden" name="next" value="%s">`+
			`<label>Username <input name="user"></label> <button type="submit">Sign in</button></form></main></body></html>`,
			html.EscapeString(r.URL.RequestURI()))
		return nil
	}
	now := time.Now()
	return &saml.Session{ID: fmt.Sprint(now.UnixNano()), CreateTime: now, ExpireTime: now.Add(time.Hour), Index: fmt.Sprint(now.UnixNano()),
		NameID: "id-" + u.Username, NameIDFormat: string(saml.PersistentNameIDFormat), UserName: u.Username, UserEmail: u.Email,
		UserCommonName: u.Name, Groups: u.Groups,
		CustomAttributes: []saml.Attribute{{Name: "email", NameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
			Values: []saml.AttributeValue{{Type: "xs:string", Value: u.Email}}},
			{Name: "name", NameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:basic", Values: []saml.AttributeValue{{Type: "xs:string", Value: u.Name}}}}}
}

func (p *IdP) serveLogin(w http.ResponseWriter, r *http.Request) {
	next := r.PostFormValue("next")
	if r.Method != http.MethodPost || !strings.HasPrefix(next, "/sso?") {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "samltest_user", Value: r.PostFormValue("user"), Path: "/", HttpOnly: true})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// Form is the auto-posting form the IdP answers with.
type Form struct {
	Action       string
	SAMLResponse string
	RelayState   string
}

var (
	actionRe = regexp.MustCompile(`action="([^"]*)"`)
	fieldRe  = regexp.MustCompile(`name="(SAMLResponse|RelayState)" value="([^"]*)"`)
)

// ReadForm reads the IdP's answer page.
func ReadForm(body string) (Form, error) {
	var f Form
	m := actionRe.FindStringSubmatch(body)
	if m == nil {
		return f, errors.New("no form in the IdP's answer: " + body)
	}
	f.Action = html.UnescapeString(m[1])
	for _, m := range fieldRe.FindAllStringSubmatch(body, -1) {
		v := html.UnescapeString(m[2])
		if m[1] == "SAMLResponse" {
			f.SAMLResponse = v
		} else {
			f.RelayState = v
		}
	}
	if f.SAMLResponse == "" {
		return f, errors.New("no SAMLResponse in the IdP's answer")
	}
	return f, nil
}

// Rewrite changes the response XML of a form (base64) with fn.
func Rewrite(samlResponse string, fn func(doc *etree.Document)) (string, error) {
	raw, err := base64Decode(samlResponse)
	if err != nil {
		return "", err
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		return "", err
	}
	fn(doc)
	out, err := doc.WriteToBytes()
	if err != nil {
		return "", err
	}
	return base64Std(out), nil
}
