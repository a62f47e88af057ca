package app

import (
	"os"
	"strings"
	"testing"

	"rampart/app/notify"
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

// TestNotificationsAreDocumented keeps docs/notifications.md naming every
// kind of notice, so that a new event cannot ship without its recipients
// and timing written down.
func TestNotificationsAreDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/notifications.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range notify.Kinds {
		if !strings.Contains(string(doc), "(`"+k.Key+"`)") {
			t.Errorf("docs/notifications.md does not list %s (%s)", k.Key, k.Label)
		}
	}
}
