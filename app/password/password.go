// Package password hashes and checks passwords with argon2id and holds the
// password policy.
package password

import (
	"context"
	_ "embed"
	"errors"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// Params are the argon2id parameters for new hashes: OWASP's minimum
// (m=19 MiB, t=2, p=1) is the floor; a stored hash with other parameters
// is rehashed at the next sign-in.
var Params = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// Length limits: long enough for passphrases, short enough that hashing
// cannot be used to burn CPU.
const (
	MinLength = 12
	MaxLength = 128
)

// Hash returns the PHC string of pw, through the Default limiter.
func Hash(pw string) (string, error) {
	return Default.Hash(context.Background(), pw)
}

// Verify reports whether pw matches the PHC string, and whether the hash
// should be replaced because its parameters are not the current ones. It
// goes through the Default limiter.
func Verify(pw, phc string) (ok, rehash bool, err error) {
	return Default.Verify(context.Background(), pw, phc)
}

func hash(pw string) (string, error) {
	return argon2id.CreateHash(pw, Params)
}

func verify(pw, phc string) (ok, rehash bool, err error) {
	ok, p, err := argon2id.CheckHash(pw, phc)
	if err != nil {
		return false, false, err
	}
	rehash = p.Memory != Params.Memory || p.Iterations != Params.Iterations ||
		p.Parallelism != Params.Parallelism || p.KeyLength != Params.KeyLength
	return ok, ok && rehash, nil
}

// Check applies the password policy; its message completes "password ...".
func Check(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return errors.New("must be valid UTF-8 text")
	case n < MinLength:
		return errors.New("must be at least 12 characters long")
	case n > MaxLength:
		return errors.New("must be at most 128 characters long")
	case common()[strings.ToLower(pw)]:
		return errors.New("is one of the most common passwords; choose another")
	}
	return nil
}

//go:embed common.txt
var commonList string

var common = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
})
