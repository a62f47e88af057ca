package password

import (
	"strings"
	"testing"

	"github.com/alexedwards/argon2id"
)

func TestHashVerify(t *testing.T) {
	h, err := Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not carry the expected parameters", h)
	}
	if ok, rehash, err := Verify("correct horse battery staple", h); !ok || rehash || err != nil {
		t.Fatalf("Verify(right) = %v, %v, %v", ok, rehash, err)
	}
	if ok, _, _ := Verify("correct horse battery stapl", h); ok {
		t.Fatal("a wrong password verified")
	}
	weak, _ := argon2id.CreateHash("correct horse battery staple", &argon2id.Params{Memory: 8 * 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	if ok, rehash, _ := Verify("correct horse battery staple", weak); !ok || !rehash {
		t.Fatalf("old parameters: ok=%v rehash=%v, want both true", ok, rehash)
	}
	if _, _, err := Verify("x", "not a hash"); err == nil {
		t.Fatal("a malformed hash gave no error")
	}
}

func TestCheck(t *testing.T) {
	for pw, want := range map[string]string{
		"short":                  "at least 12",
		strings.Repeat("a", 129): "at most 128",
		"\xff\xfe invalid utf8!": "UTF-8",
		"twelve chars":           "",
		"Password1234":           "most common",
		"QWERTYUIOPASDF":         "most common",
		"demo-password":          "most common",
		"111111111111":           "most common",
		"pässwörd-ünïcode":       "",
	} {
		err := Check(pw)
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("Check(%q) = %v, want %q", pw, err, want)
		}
	}
}
