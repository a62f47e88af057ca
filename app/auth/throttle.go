package auth

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rampart/models"
)

// Sign-in throttling (see docs/security.md, "Throttling"). Every attempt
// is counted against three counters before the password is checked:
//
//   - the (account, address) pair: an address that keeps guessing one
//     account is stopped, without touching anyone else;
//   - the address: one address spraying many accounts is stopped;
//   - the account across all addresses: past its limit the account is
//     under a distributed guess, and every address that has already failed
//     on it waits for the window to end, while an address with no failure
//     for it still gets its attempt, so the owner is never locked out.
//
// A right password, or a check that never ran, gives its count back.

func accountKey(email string) models.ThrottleKey {
	e := models.NormalizeEmail(email)
	return models.ThrottleKey{Key: "account:" + e, Account: e}
}

func pairKey(email, ip string) models.ThrottleKey {
	e := models.NormalizeEmail(email)
	return models.ThrottleKey{Key: "pair:" + ip + "|" + e, Account: e}
}

func addrKey(ip string) models.ThrottleKey { return models.ThrottleKey{Key: "ip:" + ip} }

// throttleKeys lists the counters of one attempt, always in this order
// (pair, address, account), which is also the order their rows are locked.
func throttleKeys(email, ip string) []models.ThrottleKey {
	return []models.ThrottleKey{pairKey(email, ip), addrKey(ip), accountKey(email)}
}

// reserve counts the attempt, or refuses it with a ThrottledError without
// counting it.
func (s *Service) reserve(ctx context.Context, keys []models.ThrottleKey, now time.Time) error {
	p := s.Policy
	return models.ReserveAttempt(ctx, s.DB, keys, now, p.Window, func(c []models.ThrottleCount) error {
		pair, addr, account := c[0], c[1], c[2]
		switch {
		case pair.Failures > p.MaxPerAccountAddr:
			return &ThrottledError{RetryAfter: pair.WindowEnd.Sub(now)}
		case addr.Failures > p.MaxPerClientAddr:
			return &ThrottledError{RetryAfter: addr.WindowEnd.Sub(now)}
		case account.Failures > p.MaxPerAccount && pair.Failures > 1:
			end := min(pair.WindowEnd.UnixNano(), account.WindowEnd.UnixNano())
			return &ThrottledError{RetryAfter: time.Unix(0, end).Sub(now)}
		}
		return nil
	})
}

// release gives back a counted attempt that was not a failure. It runs
// after the request's outcome is known, so it must not be cancelled with
// the request.
func (s *Service) release(ctx context.Context, keys []models.ThrottleKey, now time.Time) error {
	return models.ReleaseAttempt(context.WithoutCancel(ctx), s.DB, keys, now, s.Policy.Window)
}

// SignInFailures is the number of failed sign-ins on the account, from
// every address, in the current window, and when that window ends.
func (s *Service) SignInFailures(ctx context.Context, email string) (int64, time.Time, error) {
	return models.ThrottleState(ctx, s.DB, accountKey(email).Key, s.now(), s.Policy.Window)
}

// UnlockSignIn forgets every failed sign-in counted against the user's
// account (across addresses and per address); counters of addresses
// themselves stay, since they are about the address, not the account.
func (s *Service) UnlockSignIn(ctx context.Context, p *Principal, userID string, o Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := models.UserByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		n, err := models.ClearAccountThrottles(ctx, tx, accountKey(u.Email).Account)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, o, s.event(p, "user.unlock_sign_in", "user", u.ID, plural(n, "throttle counter")+" cleared"))
	})
}
