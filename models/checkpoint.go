package models

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// AuditCheckpoint vouches, with a signature by a key kept outside the
// database, that the audit chain once ended at Seq with Hash. The hash
// chain alone cannot show that events were cut off the end or that the
// whole chain was recomputed after an edit; a checkpoint held elsewhere
// can, for every event up to its Seq.
type AuditCheckpoint struct {
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	Time      time.Time `json:"time"`
	KeyID     string    `json:"key_id"`
	Signature string    `json:"signature"`
}

// checkpointMessage is what the signature covers: a fixed, versioned text
// so a signature cannot be replayed as anything else.
func (c *AuditCheckpoint) checkpointMessage() []byte {
	return []byte("rampart audit checkpoint v1\nseq=" + strconv.FormatInt(c.Seq, 10) + "\nhash=" + c.Hash +
		"\ntime=" + c.Time.UTC().Format(time.RFC3339Nano) + "\nkey_id=" + c.KeyID + "\n")
}

// AuditKeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func AuditKeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// SignAuditCheckpoint signs the position seq/hash as of at.
func SignAuditCheckpoint(key ed25519.PrivateKey, seq int64, hash string, at time.Time) AuditCheckpoint {
	c := AuditCheckpoint{Seq: seq, Hash: hash, Time: at.UTC().Truncate(time.Second), KeyID: AuditKeyID(key.Public().(ed25519.PublicKey))}
	c.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, c.checkpointMessage()))
	return c
}

// SignAuditHead signs the chain's current last event.
func SignAuditHead(ctx context.Context, db *gorm.DB, key ed25519.PrivateKey, at time.Time) (AuditCheckpoint, error) {
	seq, hash, err := AuditHead(ctx, db)
	if err != nil {
		return AuditCheckpoint{}, err
	}
	return SignAuditCheckpoint(key, seq, hash, at), nil
}

// VerifySignature checks that one of the trusted keys (several after a
// key rotation) signed c.
func (c *AuditCheckpoint) VerifySignature(trusted ...ed25519.PublicKey) error {
	var pub ed25519.PublicKey
	ids := make([]string, 0, len(trusted))
	for _, k := range trusted {
		ids = append(ids, AuditKeyID(k))
		if AuditKeyID(k) == c.KeyID {
			pub = k
		}
	}
	if pub == nil {
		return fmt.Errorf("signed with key %s, which is not a trusted key (%s)", c.KeyID, strings.Join(ids, ", "))
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(pub, c.checkpointMessage(), sig) {
		return errors.New("the signature is not valid (the checkpoint was forged or altered)")
	}
	return nil
}

// CheckpointReport is the outcome of verifying the chain against
// checkpoints: the chain's own verification, and one line per checkpoint
// that the database no longer agrees with.
type CheckpointReport struct {
	Chain    VerifyResult `json:"chain"`
	Head     int64        `json:"head"`
	Checked  int          `json:"checkpoints_checked"`
	Problems []string     `json:"problems,omitempty"`
}

// OK reports whether the chain is intact and agrees with every checkpoint.
func (r *CheckpointReport) OK() bool { return r.Chain.OK && len(r.Problems) == 0 }

// VerifyAuditCheckpoints recomputes the chain and checks that it still
// holds, at each checkpoint's position, the hash the checkpoint vouches
// for: fewer events than a checkpoint names is truncation, another hash is
// a rewritten (re-chained) trail.
func VerifyAuditCheckpoints(ctx context.Context, db *gorm.DB, trusted []ed25519.PublicKey, cps []AuditCheckpoint) (CheckpointReport, error) {
	chain, err := VerifyAudit(ctx, db)
	if err != nil {
		return CheckpointReport{}, err
	}
	head, _, err := AuditHead(ctx, db)
	if err != nil {
		return CheckpointReport{}, err
	}
	r := CheckpointReport{Chain: chain, Head: head}
	for i := range cps {
		c := &cps[i]
		at := c.Time.UTC().Format(time.RFC3339)
		if err := c.VerifySignature(trusted...); err != nil {
			r.Problems = append(r.Problems, fmt.Sprintf("checkpoint of %s for event %d: %s", at, c.Seq, err))
			continue
		}
		r.Checked++
		if c.Seq > head {
			r.Problems = append(r.Problems, fmt.Sprintf("truncated: the checkpoint of %s vouches for events up to %d, but the trail ends at event %d (%d events removed from the end)",
				at, c.Seq, head, c.Seq-head))
			continue
		}
		hash, err := AuditHashAt(ctx, db, c.Seq)
		if errors.Is(err, ErrNotFound) {
			r.Problems = append(r.Problems, fmt.Sprintf("event %d, vouched for by the checkpoint of %s, is missing", c.Seq, at))
			continue
		}
		if err != nil {
			return r, err
		}
		if hash != c.Hash {
			r.Problems = append(r.Problems, fmt.Sprintf("rewritten: event %d's hash differs from the checkpoint of %s: events up to %d were changed and the chain recomputed",
				c.Seq, at, c.Seq))
		}
	}
	return r, nil
}
