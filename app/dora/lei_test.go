package dora

import (
	"strings"
	"testing"
)

// Published LEIs (GLEIF records, as quoted in public code): Deutsche Bank
// AG, Apple Inc., BNP Paribas.
var realLEIs = []string{"7LTWFZYICNSX8D621K86", "HWUPKR0MPOU8FGXBT394", "R0MUWSFPU8MPRO8K5P83"}

func TestCheckLEIAcceptsPublishedLEIs(t *testing.T) {
	for _, l := range realLEIs {
		if err := CheckLEI(l); err != nil {
			t.Errorf("%s: %v", l, err)
		}
		d, err := LEICheckDigits(l[:18])
		if err != nil || d != l[18:] {
			t.Errorf("check digits of %s: %q %v", l[:18], d, err)
		}
	}
}

func TestCheckLEIRefusesCorruptedLEIs(t *testing.T) {
	cases := map[string]string{
		"7LTWFZYICNSX8D621K87":  "wrong check digits", // last digit changed
		"7LTWFZYICNSX8D621K68":  "wrong check digits", // check digits swapped
		"HWUPKR0MPOU8FGXBT349":  "wrong check digits",
		"HWUPKR0MPOU8FGXTB394":  "wrong check digits", // two characters transposed
		"R0MUWSFPU8MPRO8K5P8":   "20 characters",
		"R0MUWSFPU8MPRO8K5P833": "20 characters",
		"r0muwsfpu8mpro8k5p83":  "capital letters",
		"R0MUWSFPU8MPRO8K5PAB":  "check digits",
		"R0MUWSFPU8MPRO8K5-83":  "capital letters",
		"":                      "20 characters",
		"<script>alert(1)</sc":  "capital letters",
		"ÄÖÜWSFPU8MPRO8K5P8":    "20 characters",
	}
	for lei, want := range cases {
		err := CheckLEI(lei)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error about %s", lei, err, want)
		}
	}
}

func TestCountryAndCurrencyCodes(t *testing.T) {
	for _, c := range []string{"DE", "IE", "US", "LU", "GB"} {
		if !ValidCountry(c) {
			t.Errorf("country %s refused", c)
		}
	}
	for _, c := range []string{"", "de", "EU", "UK", "DEU", "276", "ZZ", "419", "XX"} {
		if ValidCountry(c) {
			t.Errorf("country %q accepted", c)
		}
	}
	for _, c := range []string{"EUR", "USD", "CHF", "GBP"} {
		if !ValidCurrency(c) {
			t.Errorf("currency %s refused", c)
		}
	}
	for _, c := range []string{"", "eur", "EURO", "ABC", "€"} {
		if ValidCurrency(c) {
			t.Errorf("currency %q accepted", c)
		}
	}
}
