package models

import "testing"

func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor("Acme", "id-1"))
	f.Add("")
	f.Add("!!!")
	f.Add("eyJ2IjpudWxsfQ")
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range []SortKind{SortText, SortTime, SortNumber} {
			v, id, err := decodeCursor(s, k)
			if err == nil && (id == "" || v == nil) {
				t.Fatalf("%q accepted as an empty cursor", s)
			}
		}
	})
}
