package app

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

// TestAuditVerifyWithCheckpoints runs the real command line: a checkpoint
// written by `audit checkpoint`, then the trail cut short behind the
// database's back, then a forged checkpoint file.
func TestAuditVerifyWithCheckpoints(t *testing.T) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			dir := t.TempDir()
			target := testdb.Target(t, d)
			dbURL := target.DSN
			if d == models.SQLite {
				dbURL = "sqlite:" + target.Path
			}
			run := func(args ...string) (int, string) {
				var out, errOut bytes.Buffer
				full := append([]string{"rampart", "--data-dir", dir, "--database-url", dbURL, "--log-level", "error"}, args...)
				code := Main(context.Background(), full, strings.NewReader(""), &out, &errOut)
				return code, out.String() + errOut.String()
			}
			if code, msg := run("migrate"); code != 0 {
				t.Fatalf("migrate: %s", msg)
			}
			db, err := models.Open(context.Background(), target, models.DefaultPool)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			events := make([]models.AuditEvent, 120)
			for i := range events {
				events[i] = models.AuditEvent{ActorType: models.ActorSystem, Action: "vendor.create", ObjectID: fmt.Sprint(i)}
			}
			if err := models.AppendAuditBulk(context.Background(), db.Gorm, events); err != nil {
				t.Fatal(err)
			}

			file := filepath.Join(dir, "audit-checkpoints.jsonl")
			if code, msg := run("audit", "checkpoint"); code != 0 || !strings.Contains(msg, "Checkpoint of event 120 written to "+file) {
				t.Fatalf("audit checkpoint: %d %q", code, msg)
			}
			// Unchanged head: no second line.
			run("audit", "checkpoint")
			if raw, _ := os.ReadFile(file); bytes.Count(raw, []byte("\n")) != 1 {
				t.Fatalf("checkpoint file %q", raw)
			}
			if code, msg := run("audit", "verify", "--checkpoint", file); code != 0 || !strings.Contains(msg, "120 events checked, consistent with 1 signed checkpoints") {
				t.Fatalf("verify intact: %d %q", code, msg)
			}
			_, pubOut := run("audit", "public-key")
			pub := strings.Fields(pubOut)[0]

			// The last 50 events deleted: the chain alone still verifies.
			testdb.Tamper(t, db, "DELETE FROM audit_events WHERE seq > 70")
			if code, msg := run("audit", "verify"); code != 0 {
				t.Fatalf("the truncated chain alone: %d %q", code, msg)
			}
			code, msg := run("audit", "verify", "--checkpoint", file, "--public-key", pub)
			if code != 1 || !strings.Contains(msg, "PROBLEM: truncated") || !strings.Contains(msg, "ends at event 70 (50 events removed from the end)") {
				t.Fatalf("verify truncated: %d %q", code, msg)
			}

			// A checkpoint signed by another key does not count.
			_, other, _ := ed25519.GenerateKey(nil)
			forged, _ := json.Marshal(models.SignAuditCheckpoint(other, 70, "00", time.Now()))
			forgedFile := filepath.Join(dir, "forged.jsonl")
			os.WriteFile(forgedFile, append(forged, '\n'), 0o600)
			if code, msg := run("audit", "verify", "--checkpoint", forgedFile); code != 1 || !strings.Contains(msg, "not a trusted key") {
				t.Fatalf("verify forged: %d %q", code, msg)
			}
			// A CSV export's checkpoint row is read the same way.
			line, _ := os.ReadFile(file)
			csvFile := filepath.Join(dir, "export.csv")
			os.WriteFile(csvFile, []byte("seq,occurred_at\n1,x\ncheckpoint,\""+strings.ReplaceAll(strings.TrimSpace(string(line)), `"`, `""`)+"\"\n"), 0o600)
			if code, msg := run("audit", "verify", "--checkpoint", csvFile); code != 1 || !strings.Contains(msg, "PROBLEM: truncated") {
				t.Fatalf("verify with a CSV export: %d %q", code, msg)
			}
			if _, err := base64.StdEncoding.DecodeString(pub); err != nil {
				t.Fatalf("public key %q", pubOut)
			}
		})
	}
}

func TestAuditKeyFile(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		code := Main(context.Background(), append([]string{"rampart", "--data-dir", dir, "--log-level", "error"}, args...), strings.NewReader(""), &out, &errOut)
		return code, out.String() + errOut.String()
	}
	if code, msg := run("migrate"); code != 0 {
		t.Fatalf("migrate: %s", msg)
	}
	// A configured key file that is missing is an error, never a new key.
	missing := filepath.Join(dir, "elsewhere.key")
	if code, msg := run("--audit-key-file", missing, "audit", "checkpoint"); code != 1 || !strings.Contains(msg, "--audit-key-file") {
		t.Fatalf("missing key file: %d %q", code, msg)
	}
	if code, msg := run("audit", "keygen", "--out", missing); code != 0 || !strings.Contains(msg, "Key written") {
		t.Fatalf("keygen: %d %q", code, msg)
	}
	if st, err := os.Stat(missing); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st, err)
	}
	if code, msg := run("audit", "keygen", "--out", missing); code != 1 || !strings.Contains(msg, "already exists") {
		t.Fatalf("keygen over an existing file: %d %q", code, msg)
	}
	if code, msg := run("--audit-key-file", missing, "audit", "checkpoint"); code != 0 || !strings.Contains(msg, "Checkpoint of event 0") {
		t.Fatalf("checkpoint with the new key: %d %q", code, msg)
	}
	if code, msg := run("--audit-checkpoint-interval", "10s", "audit", "verify"); code != 1 || !strings.Contains(msg, "--audit-checkpoint-interval") {
		t.Fatalf("bad interval: %d %q", code, msg)
	}
}
