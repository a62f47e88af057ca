package models

import "testing"

func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor(cursor{V: "Acme", ID: "id-1", Total: 120, Filter: "x1"}))
	f.Add("")
	f.Add("!!!")
	f.Add("eyJ2IjpudWxsfQ")
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range []SortKind{SortText, SortTime, SortNumber} {
			c, v, err := decodeCursor(s, k)
			if err == nil && (c.ID == "" || v == nil || c.Total < 0) {
				t.Fatalf("%q accepted as an empty cursor", s)
			}
		}
	})
}
