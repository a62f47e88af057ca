package auth

import (
	"context"
	"fmt"
	"sync"
	"time"

	"rampart/models"
)

// Refused requests recorded in the audit trail besides access.denied.
const (
	RefusedCSRF            = "access.csrf_failed"
	RefusedCrossOrigin     = "access.cross_origin_refused"
	RefusedUnauthenticated = "access.unauthenticated"
	RefusedSelfApproval    = "access.self_approval_refused"
)

// RefusalWindow is the rate limit on recorded refusals: at most one event
// per window and instance for each kind, client address, actor and object,
// so a flood of forged requests writes a handful of rows, not one each.
// The next event after a quiet spell says how many were left out.
const RefusalWindow = time.Minute

// maxRefusalAddrs bounds the limiter's memory; beyond it, addresses not
// yet seen share one slot per kind.
const maxRefusalAddrs = 10_000

type refusalKey struct{ action, addr, actor, object string }

type refusalSlot struct {
	recorded   time.Time // when the last event for this key was written
	suppressed int64     // refusals since then that were not written
}

// refusalLimiter lives in memory, per instance: a shared counter would be
// one hot row that every forged request writes to.
type refusalLimiter struct {
	mu     sync.Mutex
	slots  map[refusalKey]*refusalSlot
	pruned time.Time // last sweep of quiet slots; at most one per window
}

// admit says whether to record this refusal now and how many like it were
// left out since the last recorded one.
func (l *refusalLimiter) admit(k refusalKey, now time.Time) (bool, int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.slots == nil {
		l.slots = map[refusalKey]*refusalSlot{}
	}
	slot, ok := l.slots[k]
	if !ok && len(l.slots) >= maxRefusalAddrs && now.Sub(l.pruned) >= RefusalWindow {
		l.pruned = now
		for key, sl := range l.slots {
			// A quiet slot's left-out count is dropped with it: bounded
			// memory matters more than that number.
			if now.Sub(sl.recorded) >= RefusalWindow {
				delete(l.slots, key)
			}
		}
	}
	if !ok && len(l.slots) >= maxRefusalAddrs {
		k = refusalKey{action: k.action, addr: "*"}
		slot, ok = l.slots[k]
	}
	if !ok {
		l.slots[k] = &refusalSlot{recorded: now}
		return true, 0
	}
	if now.Sub(slot.recorded) < RefusalWindow {
		slot.suppressed++
		return false, 0
	}
	more := slot.suppressed
	slot.recorded, slot.suppressed = now, 0
	return true, more
}

// RecordRefusal writes an audit event (outcome denied) for a request
// refused before it could do anything: a failed CSRF check, a cross-site
// request, a missing sign-in, a self-approval. It is rate limited by
// RefusalWindow; a failure to record does not change the answer.
func (s *Service) RecordRefusal(ctx context.Context, p *Principal, action, objType, objID, detail string, o Origin) {
	_, actorID, _ := p.Actor()
	ok, more := s.refusals.admit(refusalKey{action, o.ClientIP, actorID, objID}, s.now())
	if !ok {
		return
	}
	if more > 0 {
		detail += fmt.Sprintf(" (and %d more like it since the previous %s event)", more, action)
	}
	e := s.event(p, action, objType, objID, detail)
	e.Outcome = models.OutcomeDenied
	s.audit(ctx, s.DB, o, e)
}
