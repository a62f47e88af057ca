package contracts

import (
	"rampart/app/contracts/terms"
	"rampart/app/doctext"
)

// WrapExtract replaces the extraction step for one test and returns the
// function that restores it.
func WrapExtract(wrap func(next func(data []byte, name string) (doctext.Document, []terms.Term, error)) func(data []byte, name string) (doctext.Document, []terms.Term, error)) func() {
	orig := extract
	extract = wrap(orig)
	return func() { extract = orig }
}
