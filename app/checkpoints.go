package app

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/csv"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"rampart/models"
)

// checkpointLockKey lets one of several PostgreSQL instances write each
// round of checkpoints.
const checkpointLockKey = 7262_7761_6370_7473

// auditKey reads the checkpoint signing key. Without --audit-key-file the
// key lives in the data folder and is generated there on first use (demo
// and development); an explicitly configured file must already exist, so a
// missing mount cannot silently start a new key.
func (e *env) auditKey(create bool) (ed25519.PrivateKey, error) {
	path, explicit := e.auditKeyPath()
	key, err := readAuditKey(path)
	switch {
	case err == nil:
		return key, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, settingError("audit-key-file", "RAMPART_AUDIT_KEY_FILE", path, err.Error())
	case explicit || !create:
		return nil, settingError("audit-key-file", "RAMPART_AUDIT_KEY_FILE", path,
			"no such file; create one with `rampart audit keygen --out FILE` (or `openssl genpkey -algorithm ed25519`)")
	}
	key, err = writeAuditKey(path)
	if err != nil {
		return nil, settingError("audit-key-file", "RAMPART_AUDIT_KEY_FILE", path, err.Error())
	}
	e.log.Warn("audit checkpoint signing key generated in the data folder; in production keep it outside the database and its backups (--audit-key-file)",
		"file", path, "key_id", models.AuditKeyID(key.Public().(ed25519.PublicKey)))
	return key, nil
}

func (e *env) auditKeyPath() (path string, explicit bool) {
	if e.cfg.AuditKeyFile != "" {
		return e.cfg.AuditKeyFile, true
	}
	return filepath.Join(e.cfg.DataDir, "audit-signing.key"), false
}

func (e *env) checkpointPath() string {
	if e.cfg.AuditCheckpointFile != "" {
		return e.cfg.AuditCheckpointFile
	}
	return filepath.Join(e.cfg.DataDir, "audit-checkpoints.jsonl")
}

// readAuditKey reads a PKCS#8 PEM Ed25519 private key, the format
// `openssl genpkey -algorithm ed25519` writes.
func readAuditKey(path string) (ed25519.PrivateKey, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New("not a PEM PRIVATE KEY file")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	key, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, errors.New("the key is not an Ed25519 key")
	}
	return key, nil
}

// writeAuditKey creates a new key file readable by its owner only; it
// never replaces an existing file.
func writeAuditKey(path string) (ed25519.PrivateKey, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		_ = f.Close()
		return nil, err
	}
	return key, f.Close()
}

// appendCheckpoint adds one JSON line to the checkpoint file.
func appendCheckpoint(path string, c models.AuditCheckpoint) error {
	line, err := json.Marshal(c)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// lastCheckpoint returns the file's last checkpoint, reading only its end.
func lastCheckpoint(path string) (models.AuditCheckpoint, bool, error) {
	var c models.AuditCheckpoint
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, false, nil
	} else if err != nil {
		return c, false, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return c, false, err
	}
	off := max(0, st.Size()-4096)
	tail := make([]byte, st.Size()-off)
	if _, err := f.ReadAt(tail, off); err != nil && err != io.EOF {
		return c, false, err
	}
	lines := bytes.Split(bytes.TrimSpace(tail), []byte{'\n'})
	if err := json.Unmarshal(lines[len(lines)-1], &c); err != nil {
		return c, false, nil // unreadable end: write a fresh checkpoint
	}
	return c, true, nil
}

// readCheckpoints reads a checkpoint file (JSON lines) or an audit CSV
// export, whose rows starting "checkpoint" carry one each.
func readCheckpoints(path string) ([]models.AuditCheckpoint, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []models.AuditCheckpoint
	add := func(where int, s string) error {
		var c models.AuditCheckpoint
		if err := json.Unmarshal([]byte(s), &c); err != nil || c.Signature == "" {
			return fmt.Errorf("%s line %d is not a checkpoint", path, where)
		}
		out = append(out, c)
		return nil
	}
	if bytes.HasPrefix(raw, []byte("seq,")) {
		r := csv.NewReader(bytes.NewReader(raw))
		r.FieldsPerRecord = -1
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			} else if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			if len(rec) > 1 && rec[0] == "checkpoint" {
				line, _ := r.FieldPos(0)
				if err := add(line, rec[1]); err != nil {
					return nil, err
				}
			}
		}
	} else {
		sc := bufio.NewScanner(bytes.NewReader(raw))
		for n := 1; sc.Scan(); n++ {
			if s := strings.TrimSpace(sc.Text()); s != "" {
				if err := add(n, s); err != nil {
					return nil, err
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no checkpoint", path)
	}
	return out, nil
}

// writeCheckpoint signs the chain's head and appends it to the checkpoint
// file when the head moved since the file's last checkpoint. On PostgreSQL
// one instance at a time does this (the others skip the round).
func writeCheckpoint(ctx context.Context, e *env, key ed25519.PrivateKey) (c models.AuditCheckpoint, written bool, err error) {
	_, err = models.RunExclusive(ctx, e.db.Gorm, checkpointLockKey, func() error {
		var err error
		if c, err = models.SignAuditHead(ctx, e.db.Gorm, key, time.Now()); err != nil {
			return err
		}
		last, ok, err := lastCheckpoint(e.checkpointPath())
		if err != nil || (ok && last.Seq == c.Seq && last.Hash == c.Hash && last.KeyID == c.KeyID) {
			return err
		}
		written = true
		return appendCheckpoint(e.checkpointPath(), c)
	})
	return c, written, err
}

// checkpointLoop writes a checkpoint every interval while the server runs,
// and logs each so that log shipping keeps a copy off this machine too.
func checkpointLoop(ctx context.Context, e *env, key ed25519.PrivateKey, every time.Duration, firstDone func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	firstDone = sync.OnceFunc(firstDone)
	for {
		c, written, err := writeCheckpoint(ctx, e, key)
		switch {
		case err != nil && ctx.Err() == nil:
			e.log.Warn("audit checkpoint failed", "file", e.checkpointPath(), "error", err.Error())
		case written:
			e.log.Info("audit checkpoint", "seq", c.Seq, "hash", c.Hash, "time", c.Time, "key_id", c.KeyID, "signature", c.Signature)
		}
		firstDone()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
