package app

import (
	"os"
	"strings"
	"testing"
)

// TestConfigurationIsDocumented keeps docs/configuration.md in step with
// the declared settings.
func TestConfigurationIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	flags := (&Config{}).flags()
	flags = append(flags, serveCommand(&Config{}).Flags...)
	for _, f := range flags {
		name := f.Names()[0]
		if !strings.Contains(string(doc), "--"+name) {
			t.Errorf("docs/configuration.md does not mention --%s", name)
		}
		if ev, ok := f.(interface{ GetEnvVars() []string }); ok {
			for _, env := range ev.GetEnvVars() {
				if !strings.Contains(string(doc), "`"+env+"`") {
					t.Errorf("docs/configuration.md does not mention %s", env)
				}
			}
		}
	}
}
