package models_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

func TestAuditChainDetectsTampering(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		// Concurrent appends still form one unbroken chain.
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				before, after := models.AuditDiff(map[string]any{"role": "legal", "name": "A"}, map[string]any{"role": "admin", "name": "A"})
				errs <- models.AppendAudit(ctx, db.Gorm, &models.AuditEvent{ActorType: models.ActorUser, ActorID: "u1",
					Action: "user.update", ObjectType: "user", ObjectID: fmt.Sprint("u", i), BeforeData: before, AfterData: after})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		res, err := models.VerifyAudit(ctx, db.Gorm)
		if err != nil || !res.OK || res.Checked != 20 {
			t.Fatalf("intact chain: %+v %v", res, err)
		}
		events, total, err := models.ListAudit(ctx, db.Gorm, models.AuditFilter{ObjectID: "u7"})
		if err != nil || total != 1 || *events[0].BeforeData != `{"role":"legal"}` || *events[0].AfterData != `{"role":"admin"}` {
			t.Fatalf("diff stored: %+v %d %v", events, total, err)
		}

		// A direct UPDATE of one row (by someone who got past the
		// append-only trigger) is detected at that row.
		testdb.Tamper(t, db, "UPDATE audit_events SET actor_id = 'someone-else' WHERE seq = 7")
		res, _ = models.VerifyAudit(ctx, db.Gorm)
		if res.OK || res.BrokenSeq != 7 || res.Checked != 6 {
			t.Fatalf("edited row: %+v", res)
		}
		testdb.Tamper(t, db, "UPDATE audit_events SET actor_id = 'u1' WHERE seq = 7")
		if res, _ := models.VerifyAudit(ctx, db.Gorm); !res.OK {
			t.Fatalf("restored row: %+v", res)
		}
		// A deleted row breaks the sequence.
		testdb.Tamper(t, db, "DELETE FROM audit_events WHERE seq = 12")
		if res, _ := models.VerifyAudit(ctx, db.Gorm); res.OK || res.BrokenSeq != 13 {
			t.Fatalf("deleted row: %+v", res)
		}
	})
}

func TestAuditDiffKeepsOnlyChanges(t *testing.T) {
	type view struct {
		Name  string `json:"name"`
		Role  string `json:"role"`
		Email string `json:"email"`
	}
	b, a := models.AuditDiff(view{"Ann", "legal", "a@x"}, view{"Ann", "admin", "a@x"})
	if *b != `{"role":"legal"}` || *a != `{"role":"admin"}` {
		t.Fatalf("diff %s -> %s", *b, *a)
	}
}
