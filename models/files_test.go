package models

import (
	"reflect"
	"testing"
)

// TestFileModelsListed: every model with a storage key is one the orphan
// sweep checks, or the sweep would delete its files.
func TestFileModelsListed(t *testing.T) {
	listed := map[reflect.Type]bool{}
	for _, m := range FileModels() {
		listed[reflect.TypeOf(m)] = true
	}
	for _, m := range Models() {
		if _, ok := reflect.TypeOf(m).Elem().FieldByName("StorageKey"); ok && !listed[reflect.TypeOf(m)] {
			t.Errorf("%T stores files but is missing from FileModels", m)
		}
	}
}
