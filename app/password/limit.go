package password

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// ErrBusy means every hashing slot stayed taken for the whole wait: the
// caller should answer "try again shortly" rather than queue without end.
var ErrBusy = errors.New("too many password checks in progress")

// Limiter bounds how many argon2id hashes run at once. Each one holds
// Params.Memory (19 MiB) for its duration, so without a bound a burst of
// sign-ins turns straight into gigabytes of memory.
type Limiter struct {
	sem       *semaphore.Weighted
	limit     int64
	wait      time.Duration
	running   atomic.Int64
	peak      atomic.Int64
	completed atomic.Int64
}

// DefaultLimit is a slot per core, at least two: hashing is CPU-bound, so
// more at once only adds memory, not throughput.
func DefaultLimit() int { return max(2, runtime.NumCPU()) }

// DefaultWait is how long a caller queues for a slot before ErrBusy.
const DefaultWait = 3 * time.Second

// NewLimiter allows limit hashes at once; a caller waits at most wait.
func NewLimiter(limit int, wait time.Duration) *Limiter {
	limit = max(limit, 1)
	return &Limiter{sem: semaphore.NewWeighted(int64(limit)), limit: int64(limit), wait: wait}
}

// Default serves the command-line tools and the demo loader; the server
// builds its own from the configuration.
var Default = NewLimiter(DefaultLimit(), time.Minute)

// Limit is the number of hashes allowed at once.
func (l *Limiter) Limit() int { return int(l.limit) }

// Wait is how long a caller queues for a slot.
func (l *Limiter) Wait() time.Duration { return l.wait }

// Peak is the most hashes that ran at once since the limiter was made.
func (l *Limiter) Peak() int64 { return l.peak.Load() }

// Completed is how many hashes ran to the end.
func (l *Limiter) Completed() int64 { return l.completed.Load() }

// Acquire takes a slot, waiting at most the limiter's wait (or until ctx
// ends), and returns the function that gives it back.
func (l *Limiter) Acquire(ctx context.Context) (release func(), err error) {
	wctx, cancel := context.WithTimeout(ctx, l.wait)
	defer cancel()
	if err := l.sem.Acquire(wctx, 1); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, ErrBusy
	}
	n := l.running.Add(1)
	for {
		p := l.peak.Load()
		if n <= p || l.peak.CompareAndSwap(p, n) {
			break
		}
	}
	return func() {
		l.running.Add(-1)
		l.sem.Release(1)
	}, nil
}

// Hash returns the PHC string of pw once a slot is free.
func (l *Limiter) Hash(ctx context.Context, pw string) (string, error) {
	release, err := l.Acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	defer l.completed.Add(1)
	return hash(pw)
}

// Verify checks pw against the PHC string once a slot is free; see Verify.
func (l *Limiter) Verify(ctx context.Context, pw, phc string) (ok, rehash bool, err error) {
	release, err := l.Acquire(ctx)
	if err != nil {
		return false, false, err
	}
	defer release()
	defer l.completed.Add(1)
	return verify(pw, phc)
}
