package auth

import (
	"errors"
	"strings"
	"testing"
)

// The relying party comes from the public base URL; one that cannot be a
// WebAuthn relying party leaves passkeys off with a reason, never a
// half-working setup.
func TestNewPasskeysRelyingParty(t *testing.T) {
	for _, tc := range []struct {
		base, rpID, reason string
	}{
		{"https://rampart.example.com", "rampart.example.com", ""},
		{"https://rampart.example.com:8443/", "rampart.example.com", ""},
		{"http://localhost:8080", "localhost", ""},
		{"http://rampart.localhost", "rampart.localhost", ""},
		{"", "", "not set"},
		{"http://127.0.0.1:8080", "", "IP address"},
		{"https://[::1]:8443", "", "IP address"},
		{"http://rampart.example.com", "", "not https"},
		{"ftp://rampart.example.com", "", "not an http(s) URL"},
	} {
		p := NewPasskeys(&Service{}, tc.base)
		err := p.Available()
		if tc.reason == "" {
			if err != nil || p.RPID() != tc.rpID {
				t.Errorf("%q: rp %q, %v; want %q", tc.base, p.RPID(), err, tc.rpID)
			}
			continue
		}
		var un *ErrPasskeysUnavailable
		if !errors.As(err, &un) || !strings.Contains(un.Reason, tc.reason) {
			t.Errorf("%q: %v; want unavailable: %s", tc.base, err, tc.reason)
		}
	}
}

func TestPasskeyCheckOrigin(t *testing.T) {
	p := NewPasskeys(&Service{}, "https://rampart.example.com:8443")
	if err := p.CheckOrigin("https://rampart.example.com:8443"); err != nil {
		t.Fatal(err)
	}
	if err := p.CheckOrigin(""); err != nil {
		t.Fatalf("no Origin header: %v", err)
	}
	for _, o := range []string{"https://rampart.example.com", "http://rampart.example.com:8443", "https://evil.example.com:8443"} {
		var wo *ErrWrongOrigin
		if err := p.CheckOrigin(o); !errors.As(err, &wo) {
			t.Errorf("%s: %v", o, err)
		}
	}
}
