package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// db copy names the database it cannot use, before touching any.
func TestDBCopyRefusesWrongEngines(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{"postgres://a@b/c", "postgres://a@b/d", "--from must be a SQLite database"},
		{"sqlite:x.db", "sqlite:y.db", "--to must be a postgres:// URL"},
		{"sqlite:x.db", "mysql://a@b/c", "--to must be a postgres:// URL"},
	} {
		var out, errOut bytes.Buffer
		code := Main(context.Background(), []string{"rampart", "db", "copy", "--from", c.from, "--to", c.to}, strings.NewReader(""), &out, &errOut)
		if code != 1 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%s -> %s: exit %d, %q", c.from, c.to, code, errOut.String())
		}
	}
}
