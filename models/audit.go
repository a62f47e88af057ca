package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"gorm.io/gorm"
)

// Audit outcomes.
const (
	OutcomeSuccess = "success"
	OutcomeDenied  = "denied"
	OutcomeFailure = "failure"
)

// Actor types.
const (
	ActorUser      = "user"
	ActorToken     = "token"
	ActorSystem    = "system"
	ActorAnonymous = "anonymous"
	// ActorPortal is a vendor contact using a questionnaire link.
	ActorPortal = "portal"
)

// genesisHash is the prev_hash of the first event.
const genesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// auditLockKey serialises appends across PostgreSQL instances; SQLite
// serialises them by its immediate write transactions.
const auditLockKey = 7262_7761_7564_6974

// AuditEvent is one entry of the append-only, hash-chained audit trail.
type AuditEvent struct {
	Base
	Seq        int64     `gorm:"not null"`
	OccurredAt time.Time `gorm:"not null"`
	ActorType  string    `gorm:"not null"`
	ActorID    string    `gorm:"not null;default:''"`
	ActorLabel string    `gorm:"not null;default:''"`
	Action     string    `gorm:"not null"`
	ObjectType string    `gorm:"not null;default:''"`
	ObjectID   string    `gorm:"not null;default:''"`
	Outcome    string    `gorm:"not null"`
	BeforeData *string   `gorm:"column:before_data"`
	AfterData  *string   `gorm:"column:after_data"`
	Detail     string    `gorm:"not null;default:''"`
	RequestID  string    `gorm:"not null;default:''"`
	ClientIP   string    `gorm:"column:client_ip;not null;default:''"`
	PrevHash   string    `gorm:"not null"`
	Hash       string    `gorm:"not null"`
}

// chained is the canonical content an event's hash covers, in a fixed
// order; everything but the hash itself.
type chained struct {
	Seq        int64   `json:"seq"`
	ID         string  `json:"id"`
	OccurredAt string  `json:"occurred_at"`
	ActorType  string  `json:"actor_type"`
	ActorID    string  `json:"actor_id"`
	ActorLabel string  `json:"actor_label"`
	Action     string  `json:"action"`
	ObjectType string  `json:"object_type"`
	ObjectID   string  `json:"object_id"`
	Outcome    string  `json:"outcome"`
	Before     *string `json:"before"`
	After      *string `json:"after"`
	Detail     string  `json:"detail"`
	RequestID  string  `json:"request_id"`
	ClientIP   string  `json:"client_ip"`
}

func (e *AuditEvent) computeHash(prev string) string {
	b, _ := json.Marshal(chained{
		e.Seq, e.ID, e.OccurredAt.UTC().Format(time.RFC3339Nano), e.ActorType, e.ActorID, e.ActorLabel,
		e.Action, e.ObjectType, e.ObjectID, e.Outcome, e.BeforeData, e.AfterData, e.Detail, e.RequestID, e.ClientIP,
	})
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// AppendAudit adds e at the end of the chain. Called with the transaction
// that makes the change it records, so both commit or neither does.
func AppendAudit(ctx context.Context, db *gorm.DB, e *AuditEvent) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if tx.Dialector.Name() == "postgres" {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", auditLockKey).Error; err != nil {
				return err
			}
		}
		var last AuditEvent
		err := tx.Select("seq", "hash").Order("seq DESC").Limit(1).Find(&last).Error
		if err != nil {
			return err
		}
		e.Seq, e.PrevHash = last.Seq+1, last.Hash
		if last.Seq == 0 {
			e.PrevHash = genesisHash
		}
		if e.ID == "" {
			e.ID = NewID()
		}
		if e.OccurredAt.IsZero() {
			e.OccurredAt = time.Now()
		}
		// Stored precision is microseconds on PostgreSQL: hash what is stored.
		e.OccurredAt = e.OccurredAt.UTC().Truncate(time.Microsecond)
		if e.Outcome == "" {
			e.Outcome = OutcomeSuccess
		}
		e.Hash = e.computeHash(e.PrevHash)
		if err := tx.Create(e).Error; err != nil {
			return err
		}
		return webhookFromAudit(ctx, tx, e)
	})
}

// AuditJSON encodes a before or after snapshot for an audit event.
func AuditJSON(v any) *string {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	s := string(b)
	return &s
}

// AuditDiff returns the fields of before and after (structs or maps with
// JSON tags) whose values differ, as the before and after snapshots of an
// update; secrets must not be in either value.
func AuditDiff(before, after any) (*string, *string) {
	b, a := toMap(before), toMap(after)
	db, da := map[string]any{}, map[string]any{}
	for k, av := range a {
		if bv, ok := b[k]; !ok || !reflect.DeepEqual(bv, av) {
			db[k], da[k] = b[k], av
		}
	}
	for k, bv := range b {
		if _, ok := a[k]; !ok {
			db[k] = bv
		}
	}
	return AuditJSON(db), AuditJSON(da)
}

func toMap(v any) map[string]any {
	m := map[string]any{}
	if v == nil {
		return m
	}
	b, err := json.Marshal(v)
	if err == nil {
		_ = json.Unmarshal(b, &m)
	}
	return m
}

// AuditFilter selects audit events; zero fields do not filter.
type AuditFilter struct {
	ActorID string
	Action  string
	// Actions, when set, admits only these actions (a family's).
	Actions    []string
	ObjectType string
	ObjectID   string
	From, To   time.Time
	// BeforeSeq pages backwards: only events older than this position.
	BeforeSeq int64
	Limit     int
}

// ListAudit returns events newest first, and the total matching count.
func ListAudit(ctx context.Context, db *gorm.DB, f AuditFilter) ([]AuditEvent, int64, error) {
	q := db.WithContext(ctx).Model(&AuditEvent{})
	if f.ActorID != "" {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if len(f.Actions) > 0 {
		q = q.Where("action IN ?", f.Actions)
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		q = q.Where("object_id = ?", f.ObjectID)
	}
	if !f.From.IsZero() {
		q = q.Where("occurred_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("occurred_at < ?", f.To.UTC())
	}
	// The unit scope is applied here and not by the GORM callback: the
	// chain's own reads (the last hash AppendAudit links to, the head, the
	// verification) must see every event whoever is signed in. A scoped
	// person sees only events about a vendor, contract, assessment or
	// finding of their units.
	if units, ok := ScopedUnits(ctx); ok && units != nil {
		q = q.Where("audit_events.object_type IN ? AND EXISTS (SELECT 1 FROM business_unit_links bul WHERE bul.entity_type = audit_events.object_type"+
			" AND bul.entity_id = audit_events.object_id AND bul.unit_id IN ?)", UnitEntityTypes, orNone(units))
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	if f.BeforeSeq > 0 {
		q = q.Where("seq < ?", f.BeforeSeq)
	}
	events := []AuditEvent{}
	err := q.Order("seq DESC").Limit(clampLimit(f.Limit)).Find(&events).Error
	return events, total, err
}

// VerifyResult says whether the chain is intact and, if not, where it
// first breaks.
type VerifyResult struct {
	OK        bool   `json:"ok"`
	Checked   int64  `json:"checked"`
	BrokenSeq int64  `json:"broken_seq,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// VerifyAudit walks the whole chain in order and recomputes every hash: an
// edited row breaks its own hash, a deleted or inserted row breaks the
// sequence or the next event's link.
func VerifyAudit(ctx context.Context, db *gorm.DB) (VerifyResult, error) {
	const batch = 1000
	res := VerifyResult{OK: true}
	prev, next := genesisHash, int64(1)
	for {
		var events []AuditEvent
		err := db.WithContext(ctx).Where("seq >= ?", next).Order("seq").Limit(batch).Find(&events).Error
		if err != nil {
			return res, err
		}
		for i := range events {
			e := &events[i]
			fail := func(reason string) (VerifyResult, error) {
				return VerifyResult{OK: false, Checked: res.Checked, BrokenSeq: e.Seq, Reason: reason}, nil
			}
			switch {
			case e.Seq != next:
				return fail(fmt.Sprintf("event %d is missing", next))
			case e.PrevHash != prev:
				return fail("the link to the previous event does not match")
			case e.computeHash(prev) != e.Hash:
				return fail("the event's content does not match its hash (it was changed)")
			}
			res.Checked++
			prev, next = e.Hash, e.Seq+1
		}
		if len(events) < batch {
			return res, nil
		}
	}
}

// AuditHead returns the position and hash of the last event: 0 and the
// genesis hash for an empty trail.
func AuditHead(ctx context.Context, db *gorm.DB) (int64, string, error) {
	var last AuditEvent
	if err := db.WithContext(ctx).Select("seq", "hash").Order("seq DESC").Limit(1).Find(&last).Error; err != nil {
		return 0, "", err
	}
	if last.Seq == 0 {
		return 0, genesisHash, nil
	}
	return last.Seq, last.Hash, nil
}

// AuditHashAt returns the stored hash of event seq, or ErrNotFound.
func AuditHashAt(ctx context.Context, db *gorm.DB, seq int64) (string, error) {
	if seq == 0 {
		return genesisHash, nil
	}
	var e AuditEvent
	err := db.WithContext(ctx).Select("hash").Where("seq = ?", seq).Take(&e).Error
	return e.Hash, translate(err)
}
