package seeds

import (
	"embed"
	"fmt"
	"path"
	"strings"

	"rampart/app/questionnaire"
)

// The built-in questionnaire library. The questions are Rampart's own
// wording; none is taken from a licensed questionnaire (SIG, HECVAT, CAIQ).
//
//go:embed questionnaires/*.json
var questionnaireFiles embed.FS

// Questionnaires loads and validates the built-in questionnaires, in file
// name order. Each file is named after its questionnaire's key.
func Questionnaires() ([]questionnaire.Template, error) {
	entries, err := questionnaireFiles.ReadDir("questionnaires")
	if err != nil {
		return nil, err
	}
	var out []questionnaire.Template
	for _, e := range entries {
		name := path.Join("questionnaires", e.Name())
		data, err := questionnaireFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		q, err := questionnaire.Decode(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if want := strings.TrimSuffix(e.Name(), ".json"); q.Key != want {
			return nil, fmt.Errorf("%s: key %q does not match the file name", name, q.Key)
		}
		out = append(out, q)
	}
	return out, nil
}
