package auth

import (
	"fmt"
	"testing"
	"time"
)

// TestRefusalLimiterIsBounded: addresses sprayed beyond the limiter's
// capacity share one slot, so memory and events stay bounded.
func TestRefusalLimiterIsBounded(t *testing.T) {
	var l refusalLimiter
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	admitted := 0
	for i := 0; i < 3*maxRefusalAddrs; i++ {
		if ok, _ := l.admit(refusalKey{action: RefusedUnauthenticated, addr: fmt.Sprint("10.0.", i/256, ".", i%256)}, now); ok {
			admitted++
		}
	}
	if admitted != maxRefusalAddrs+1 || len(l.slots) != maxRefusalAddrs+1 {
		t.Fatalf("admitted %d events, %d slots; want %d", admitted, len(l.slots), maxRefusalAddrs+1)
	}
	// A window later, quiet slots are reclaimed for new addresses.
	now = now.Add(RefusalWindow)
	if ok, more := l.admit(refusalKey{action: RefusedUnauthenticated, addr: "192.0.2.9"}, now); !ok || more != 0 || len(l.slots) != 1 {
		t.Fatalf("after a window: %v %d, %d slots", ok, more, len(l.slots))
	}
}
