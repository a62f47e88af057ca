package seeds_test

import (
	"bytes"
	"reflect"
	"testing"

	"rampart/app/questionnaire"
	"rampart/app/sheet"
	"rampart/seeds"
)

// Exporting a built-in questionnaire and importing the workbook gives the
// same questionnaire back, field by field.
func TestExportImportRoundTrip(t *testing.T) {
	qs, err := seeds.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range qs {
		var buf bytes.Buffer
		if err := questionnaire.ExportXLSX(&buf, want); err != nil {
			t.Fatal(err)
		}
		sheets, err := sheet.Read(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		imp, err := questionnaire.FromSheets(sheets, nil)
		if err != nil {
			t.Fatal(err)
		}
		if imp.Format != "rampart" || imp.Name != want.Name || imp.Description != want.Description || len(imp.Changes) != 0 {
			t.Fatalf("%s: format %q, name %q, description %q, changes %v", want.Key, imp.Format, imp.Name, imp.Description, imp.Changes)
		}
		CompareContent(t, want.Key, want.Content, imp.Content)
	}
}

// CompareContent reports every field that differs between two contents.
func CompareContent(t *testing.T, label string, want, got questionnaire.Content) {
	t.Helper()
	if len(want.Sections) != len(got.Sections) {
		t.Fatalf("%s: %d sections, want %d", label, len(got.Sections), len(want.Sections))
	}
	for i, ws := range want.Sections {
		gs := got.Sections[i]
		if ws.Key != gs.Key || ws.Title != gs.Title || ws.Description != gs.Description || len(ws.Questions) != len(gs.Questions) {
			t.Fatalf("%s section %d: got %q %q %q (%d questions), want %q %q %q (%d)", label, i, gs.Key, gs.Title, gs.Description, len(gs.Questions), ws.Key, ws.Title, ws.Description, len(ws.Questions))
		}
		for j, wq := range ws.Questions {
			gq := gs.Questions[j]
			wv, gv := reflect.ValueOf(wq), reflect.ValueOf(gq)
			for f := 0; f < wv.NumField(); f++ {
				if !reflect.DeepEqual(wv.Field(f).Interface(), gv.Field(f).Interface()) {
					t.Errorf("%s %s.%s: got %#v, want %#v", label, wq.Key, wv.Type().Field(f).Name, gv.Field(f).Interface(), wv.Field(f).Interface())
				}
			}
		}
	}
}
