package models_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"rampart/models"
	"rampart/models/testdb"
)

func appendEvents(t *testing.T, db *models.DB, n int) {
	t.Helper()
	events := make([]models.AuditEvent, n)
	for i := range events {
		events[i] = models.AuditEvent{ActorType: models.ActorUser, ActorID: "u1", Action: "vendor.update", ObjectType: "vendor", ObjectID: fmt.Sprint("v", i)}
	}
	if err := models.AppendAuditBulk(context.Background(), db.Gorm, events); err != nil {
		t.Fatal(err)
	}
}

func TestAuditTableRefusesUpdateAndDelete(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		appendEvents(t, db, 3)
		for _, stmt := range []string{
			"UPDATE audit_events SET detail = 'hidden' WHERE seq = 2",
			"DELETE FROM audit_events WHERE seq = 3",
			"DELETE FROM audit_events",
		} {
			err := db.Gorm.Exec(stmt).Error
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused", stmt, err)
			}
		}
		if db.Dialect == models.Postgres {
			if err := db.Gorm.Exec("TRUNCATE audit_events").Error; err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("TRUNCATE: %v, want refused", err)
			}
		}
		var n int64
		db.Gorm.Model(&models.AuditEvent{}).Count(&n)
		if res, err := models.VerifyAudit(context.Background(), db.Gorm); err != nil || !res.OK || n != 3 {
			t.Fatalf("after refused changes: %d events, %+v %v", n, res, err)
		}
		// Appending still works.
		appendEvents(t, db, 1)
	})
}

func TestCheckpointsCatchTruncationAndRechaining(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		pub, key, _ := ed25519.GenerateKey(nil)
		trusted := []ed25519.PublicKey{pub}
		appendEvents(t, db, 120)
		early, err := models.SignAuditHead(ctx, db.Gorm, key, time.Now())
		if err != nil || early.Seq != 120 {
			t.Fatalf("checkpoint: %+v %v", early, err)
		}
		appendEvents(t, db, 30)
		head, _ := models.SignAuditHead(ctx, db.Gorm, key, time.Now())
		cps := []models.AuditCheckpoint{early, head}
		if r, err := models.VerifyAuditCheckpoints(ctx, db.Gorm, trusted, cps); err != nil || !r.OK() || r.Checked != 2 {
			t.Fatalf("intact trail: %+v %v", r, err)
		}

		// A forged checkpoint: another key, or an altered one.
		_, other, _ := ed25519.GenerateKey(nil)
		forged := models.SignAuditCheckpoint(other, 150, head.Hash, time.Now())
		altered := head
		altered.Seq = 149
		r, _ := models.VerifyAuditCheckpoints(ctx, db.Gorm, trusted, []models.AuditCheckpoint{forged, altered})
		if r.OK() || len(r.Problems) != 2 || !strings.Contains(r.Problems[0], "not a trusted key") || !strings.Contains(r.Problems[1], "signature is not valid") {
			t.Fatalf("forged checkpoints: %+v", r)
		}

		// Deleting the last 50 events leaves a chain that verifies on its
		// own; the checkpoint shows the truncation.
		testdb.Tamper(t, db, "DELETE FROM audit_events WHERE seq > 100")
		if res, _ := models.VerifyAudit(ctx, db.Gorm); !res.OK || res.Checked != 100 {
			t.Fatalf("the truncated chain should verify on its own: %+v", res)
		}
		r, _ = models.VerifyAuditCheckpoints(ctx, db.Gorm, trusted, cps)
		if r.OK() || len(r.Problems) != 2 || !strings.Contains(r.Problems[1], "truncated") || !strings.Contains(r.Problems[1], "ends at event 100 (50 events removed") {
			t.Fatalf("truncation: %+v", r)
		}
	})
}

func TestCheckpointsCatchAnEditWithTheChainRecomputed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		pub, key, _ := ed25519.GenerateKey(nil)
		appendEvents(t, db, 40)
		cp, _ := models.SignAuditHead(ctx, db.Gorm, key, time.Now())
		testdb.TamperWith(t, db, func(tx *gorm.DB) error {
			if err := tx.Exec("UPDATE audit_events SET actor_id = 'someone-else' WHERE seq = 12").Error; err != nil {
				return err
			}
			return models.RechainAudit(ctx, tx)
		})
		if res, _ := models.VerifyAudit(ctx, db.Gorm); !res.OK || res.Checked != 40 {
			t.Fatalf("the recomputed chain should verify on its own: %+v", res)
		}
		r, err := models.VerifyAuditCheckpoints(ctx, db.Gorm, []ed25519.PublicKey{pub}, []models.AuditCheckpoint{cp})
		if err != nil || r.OK() || len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "rewritten: event 40") {
			t.Fatalf("re-chained trail: %+v %v", r, err)
		}
	})
}
