package notify

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/models"
)

// DigestHour is when (UTC) the daily digest goes out.
const DigestHour = 7

// digestKind is the outbox kind of the digest mail. It is not one of
// Kinds: it has no bell entry and no preference of its own (people choose
// "digest" per kind).
var digestKind = Kind{Key: "digest", Label: "Daily digest"}

// SendDigests mails each person whose notices wait for the digest one
// message grouping them by kind, and marks those notices digested. The
// key "digest:<user>:<date>" sends at most one digest per person and day:
// a second round the same day leaves what arrived since for tomorrow's.
func (n *Notifier) SendDigests(ctx context.Context, db *gorm.DB, now time.Time) (int, error) {
	pending, err := models.PendingDigest(ctx, db)
	if err != nil {
		return 0, err
	}
	userIDs := make([]string, 0, len(pending))
	for id := range pending {
		userIDs = append(userIDs, id)
	}
	slices.Sort(userIDs)
	users, err := activeUsers(ctx, db, userIDs)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range userIDs {
		ns := pending[id]
		ids := make([]string, len(ns))
		for i, x := range ns {
			ids[i] = x.ID
		}
		u, active := users[id]
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			// With mail off, or for someone who left, the bell is the
			// whole story: the notices are settled rather than saved up
			// for a digest that would arrive long after.
			if !active || u.Email == "" || n.Mode == MailOff {
				return models.MarkDigested(ctx, tx, ids, now)
			}
			m := n.digestMail(u, ns, now)
			queued, err := models.QueueMailOnce(ctx, tx, &m)
			if err != nil || !queued {
				return err
			}
			sent++
			return models.MarkDigested(ctx, tx, ids, now)
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// digestMail renders one person's digest: a paragraph per kind, one line
// per notice with its link.
func (n *Notifier) digestMail(u userRow, ns []models.Notification, now time.Time) models.MailMessage {
	byKind := map[string][]models.Notification{}
	for _, x := range ns {
		byKind[x.Kind] = append(byKind[x.Kind], x)
	}
	var paras []string
	for _, k := range Kinds {
		items := byKind[k.Key]
		if len(items) == 0 {
			continue
		}
		lines := []string{fmt.Sprintf("%s (%d)", k.Label, len(items))}
		for _, x := range items {
			line := "- " + x.Title
			if x.Link != "" {
				line += ": " + n.absolute(x.Link)
			}
			lines = append(lines, line)
		}
		paras = append(paras, strings.Join(lines, "\n"))
	}
	title := fmt.Sprintf("Rampart: %d %s waiting for you", len(ns), plural(len(ns), "notice", "notices"))
	body := strings.Join(paras, "\n\n")
	date := now.Format(time.DateOnly)
	return n.mail(Event{Kind: digestKind.Key, Key: "digest:" + u.ID + ":" + date, Link: "/", Title: title, Body: body},
		digestKind, u.Email, u.Name, &u.ID, "", now)
}

func (n *Notifier) absolute(link string) string {
	if strings.HasPrefix(link, "/") {
		return strings.TrimRight(n.BaseURL, "/") + link
	}
	return link
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
