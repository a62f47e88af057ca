// Package dora builds the DORA register of information (Commission
// Implementing Regulation (EU) 2024/2956) from the register's records:
// the templates B_01.01 to B_07.01 as rows of the ESAs' column codes, the
// validation report that says what is missing or wrong and where to fix
// it, and the ZIP of one CSV per template.
package dora

import (
	"fmt"
	"math/big"
	"strings"
)

// CheckLEI reports what is wrong with an ISO 17442 legal entity
// identifier, or nil: 20 characters, digits and capital letters, the last
// two digits the ISO 7064 MOD 97-10 check digits of the whole.
func CheckLEI(lei string) error {
	if len(lei) != 20 {
		return fmt.Errorf("must be 20 characters (it has %d)", len([]rune(lei)))
	}
	for i := range len(lei) {
		c := lei[i]
		digit := c >= '0' && c <= '9'
		if !digit && (i >= 18 || c < 'A' || c > 'Z') {
			if i >= 18 {
				return fmt.Errorf("must end with two check digits")
			}
			return fmt.Errorf("must hold only digits and capital letters A-Z")
		}
	}
	if mod97(lei) != 1 {
		return fmt.Errorf("has wrong check digits (ISO 17442: the last two digits do not match the first 18 characters)")
	}
	return nil
}

// LEICheckDigits returns the two check digits that complete an 18-character
// LEI prefix.
func LEICheckDigits(prefix string) (string, error) {
	if len(prefix) != 18 {
		return "", fmt.Errorf("prefix must be 18 characters")
	}
	m := mod97(strings.ToUpper(prefix) + "00")
	if m < 0 {
		return "", fmt.Errorf("prefix must hold only digits and capital letters A-Z")
	}
	return fmt.Sprintf("%02d", 98-m), nil
}

// mod97 reads s with letters as 10..35 and returns the number modulo 97,
// or -1 for a character outside 0-9 and A-Z.
func mod97(s string) int {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			fmt.Fprintf(&b, "%d", c-'A'+10)
		default:
			return -1
		}
	}
	n, ok := new(big.Int).SetString(b.String(), 10)
	if !ok {
		return -1
	}
	return int(new(big.Int).Mod(n, big.NewInt(97)).Int64())
}
