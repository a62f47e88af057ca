// Package notify is the program's voice: it turns events (an assessment
// submitted, a finding due) into notices in people's bells and messages in
// the mail outbox, in the transaction of the change that causes them, by
// each person's preferences. The worker (worker.go) sends the outbox after
// commit; the scheduler (schedule.go) runs the clock's recurring tasks.
package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	htmltemplate "html/template"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"text/template"
	"time"

	"gorm.io/gorm"

	"rampart/models"
)

// Channels a person can choose per kind of notice.
const (
	InApp  = "in_app" // the bell only
	Email  = "email"  // the bell and an email at once
	Digest = "digest" // the bell and the next daily digest
	Off    = "off"
)

// Channels lists them in the order the preferences page offers them.
var Channels = []string{InApp, Email, Digest, Off}

// Kind is one kind of notice people can receive.
type Kind struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	// Who receives it and when, in words (the preferences page and
	// docs/notifications.md show it).
	Recipients string `json:"recipients"`
	Default    string `json:"default"`
	// Vendor notices go to a vendor's contact by email only; they have no
	// preference.
	Vendor bool `json:"vendor"`
}

// Kinds is every kind of notice. Keys are stored with each notice and
// preference; do not rename them.
var Kinds = []Kind{
	{Key: "vendor.invitation", Label: "Questionnaire invitation", Recipients: "The vendor contact chosen when the questionnaire is sent, or the vendor's security contact when the schedule starts a reassessment; the only message with the link", Vendor: true},
	{Key: "vendor.reminder", Label: "Questionnaire reminder", Recipients: "The vendor contact, 7, 3 and 1 days before the due date until submitted, in the invitation's thread", Vendor: true},
	{Key: "vendor.overdue", Label: "Questionnaire overdue", Recipients: "The vendor contact, the day after the due date and then every 3 days, at most 5 times, until submitted, in the invitation's thread", Vendor: true},
	{Key: "vendor.follow_up", Label: "Follow-up requested", Recipients: "The vendor contact, when a reviewer sends answers back for more", Vendor: true},
	// Vendor here means "mail only, no preference": a reset link goes to
	// the account's address whatever its owner chose for notices.
	{Key: "account.password_reset", Label: "Password reset link", Recipients: "The account's own address, when someone asks for a reset on the sign-in page or an administrator sends a link; the only message with the link", Vendor: true},
	{Key: "vendor.message", Label: "Message from the reviewer", Recipients: "The vendor contact, when a reviewer writes on a question of the questionnaire, in the invitation's thread", Vendor: true},
	{Key: "vendor.link_revoked", Label: "Questionnaire link revoked", Recipients: "The contact of a link that stopped working: revoked, replaced by a link to another contact, or closed because the assessment was cancelled", Vendor: true},
	{Key: "vendor.remediation", Label: "Remediation requested", Recipients: "The vendor contact a finding is shared with; the only message with the remediation link", Vendor: true},
	{Key: "vendor.remediation_reply", Label: "Remediation plan decided", Recipients: "The contact of a shared finding, when its owner accepts the plan, asks for changes or accepts the remediation as complete, in the link's thread", Vendor: true},
	{Key: "vendor.evidence_request", Label: "Document requested", Recipients: "The vendor contact a document is requested from; the only message with the upload link", Vendor: true},
	{Key: "assessment.submitted", Label: "Assessment submitted", Recipients: "The assessment's reviewer (whoever created it when it has none), when the vendor submits", Default: Email},
	{Key: "assessment.message", Label: "Vendor wrote on an answer", Recipients: "The assessment's reviewer and whoever created it, when the vendor writes on a question in the portal", Default: Email},
	{Key: "request.awaiting", Label: "Request awaiting your action", Recipients: "When a request reaches a stage or is assigned: its assignee, else the risk managers (the legal reviewers at legal review), else the administrators", Default: Email},
	{Key: "request.decided", Label: "Request decided", Recipients: "The requester, when the request is approved, approved with conditions or rejected", Default: Email},
	{Key: "finding.assigned", Label: "Finding assigned to you", Recipients: "The finding's owner, when someone else makes them the owner", Default: Email},
	{Key: "finding.due", Label: "Finding due in 7 days", Recipients: "The finding's owner, 7 days before its due date while it is open", Default: Digest},
	{Key: "finding.overdue", Label: "Finding overdue", Recipients: "The finding's owner, the day after its due date while it is open", Default: Email},
	{Key: "exception.expiring", Label: "Exception expiring in 14 days", Recipients: "The exception's requester and approver, 14 days before it ends", Default: Email},
	{Key: "exception.expired", Label: "Exception expired", Recipients: "The exception's requester and approver, when it ends and its finding reopens", Default: Email},
	{Key: "contract.cancel_by", Label: "Contract cancel-by date near", Recipients: "The contract's owner and every legal reviewer, 60, 30 and 7 days before the cancel-by date", Default: Email},
	{Key: "evidence.expiring", Label: "Vendor evidence expiring", Recipients: "The vendor's owner (the risk managers when it has none), 30 days before an accepted evidence document (SOC 2 report, certificate, ...) expires and on its expiry day, once per document version", Default: Email},
	{Key: "webhook.disabled", Label: "Webhook endpoint turned off", Recipients: "Every administrator, when an endpoint's deliveries failed for a day and Rampart turned it off", Default: Email},
	{Key: "incident.reported", Label: "Incident reported by a vendor", Recipients: "The vendor's owner (the risk managers when it has none), when a vendor contact reports an incident through an incident report link", Default: Email},
	{Key: "finding.remediation", Label: "Vendor worked on a shared finding", Recipients: "The finding's owner (the risk managers when it has none), when the vendor proposes a remediation plan, posts progress or marks the work done through a remediation link", Default: Email},
	{Key: "reassessment.due", Label: "Reassessment due", Recipients: "The vendor's owner (the risk managers when it has none), 30 days (the tier's lead time) before the next review, or when the schedule starts the reassessment", Default: Email},
}

// KindByKey returns the kind with key.
func KindByKey(key string) (Kind, bool) {
	i := slices.IndexFunc(Kinds, func(k Kind) bool { return k.Key == key })
	if i < 0 {
		return Kind{}, false
	}
	return Kinds[i], true
}

// Mode says what happens to email.
type Mode int

const (
	// MailOff: no SMTP server is set; notices reach the bell only and
	// vendor mails are not written.
	MailOff Mode = iota
	// MailOn: messages go to the SMTP server.
	MailOn
	// MailDemo: messages are kept in the outbox page for admins to read
	// (serve --demo without an SMTP server).
	MailDemo
)

func (m Mode) String() string {
	return [...]string{"off", "on", "demo"}[m]
}

// Notifier writes notices. Its zero value is not usable; the server
// builds one from its settings.
type Notifier struct {
	Mode Mode
	// BaseURL is the public address, for links in mails.
	BaseURL string
	// OrgName names the asking company to vendors until a name is set in
	// Settings (Org reads that first).
	OrgName string
	Now     func() time.Time
}

// Org is the asking company's name as vendors read it: the one set in
// Settings, else OrgName. It reads the row each time (one primary-key
// lookup) so that every instance behind a load balancer names the company
// the same way as soon as it changes; if the row cannot be read the
// configured name stands in, since a name is never worth failing a mail or
// a portal page for.
func (n *Notifier) Org(ctx context.Context, db *gorm.DB) string {
	if o, err := models.GetOrganization(ctx, db); err == nil && o.Name != "" {
		return o.Name
	}
	return n.OrgName
}

// Recipient is a staff member (UserID) or an outside address (Email).
type Recipient struct {
	UserID string
	Email  string
	Name   string
}

// OwnerOrRiskManagers is who hears of something about an object with an
// owner: the owner while active, else every active risk manager, so a
// vendor's report or reply never goes unheard for want of an owner.
func OwnerOrRiskManagers(ctx context.Context, tx *gorm.DB, ownerID *string) ([]Recipient, error) {
	if ownerID != nil {
		u, err := models.UserByID(ctx, tx, *ownerID)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return nil, err
		}
		if err == nil && u.Active {
			return []Recipient{{UserID: u.ID}}, nil
		}
	}
	ids, err := models.ActiveUserIDsByRole(ctx, tx, models.RoleRiskManager)
	to := make([]Recipient, len(ids))
	for i, id := range ids {
		to[i] = Recipient{UserID: id}
	}
	return to, err
}

// Event is one thing that happened that people should hear of.
type Event struct {
	Kind string
	// Key names this occurrence: the same key never reaches the same
	// person twice (e.g. "finding.overdue:<id>:<due date>").
	Key        string
	ObjectType string
	ObjectID   string
	// Link is the app's path to the object (e.g. /findings/<id>), or for
	// vendor mails an absolute URL.
	Link  string
	Title string
	// Body is plain text; paragraphs are separated by blank lines.
	Body    string
	To      []Recipient
	ReplyTo *Recipient
	// Thread groups mails: messages of one thread and address thread
	// together in mail programs. StartsThread marks its first message.
	Thread       string
	StartsThread bool
	// Footer replaces the mail's usual footer (account mails are neither
	// notification settings nor a vendor program's).
	Footer string
}

// Emit writes ev's notices and mails in tx, by each person's preferences.
// Staff recipients are looked up by id: a user who is deactivated gets
// nothing.
func (n *Notifier) Emit(ctx context.Context, tx *gorm.DB, ev Event) error {
	kind, ok := KindByKey(ev.Kind)
	if !ok {
		panic("notify: unknown kind " + ev.Kind)
	}
	now := n.now()
	var userIDs []string
	for _, r := range ev.To {
		if r.UserID != "" && !slices.Contains(userIDs, r.UserID) {
			userIDs = append(userIDs, r.UserID)
		}
	}
	users, err := activeUsers(ctx, tx, userIDs)
	if err != nil {
		return err
	}
	prefs, err := models.NotificationPreferences(ctx, tx, userIDs...)
	if err != nil {
		return err
	}
	var bell []models.Notification
	var mails []models.MailMessage
	seen := map[string]bool{}
	org := ""
	if n.Mode != MailOff && slices.ContainsFunc(ev.To, func(r Recipient) bool { return r.UserID == "" }) {
		org = n.Org(ctx, tx) // the footer of mails to outside addresses
	}
	for _, r := range ev.To {
		if r.UserID == "" {
			addr := models.NormalizeEmail(r.Email)
			if addr == "" || seen[addr] || n.Mode == MailOff {
				continue
			}
			seen[addr] = true
			mails = append(mails, n.mail(ev, kind, addr, r.Name, nil, org, now))
			continue
		}
		u, ok := users[r.UserID]
		if !ok || seen["user:"+u.ID] {
			continue
		}
		seen["user:"+u.ID] = true
		channel := prefs[u.ID][kind.Key]
		if channel == "" {
			channel = kind.Default
		}
		if channel == Off {
			continue
		}
		bell = append(bell, models.Notification{UserID: u.ID, EventKey: ev.Key, Kind: kind.Key, Title: ev.Title, Body: ev.Body,
			Link: ev.Link, ObjectType: ev.ObjectType, ObjectID: ev.ObjectID, Digest: channel == Digest})
		if channel == Email && n.Mode != MailOff && u.Email != "" {
			id := u.ID
			mails = append(mails, n.mail(ev, kind, u.Email, u.Name, &id, org, now))
		}
	}
	if err := models.AddNotifications(ctx, tx, bell); err != nil {
		return err
	}
	if err := models.QueueMail(ctx, tx, mails); err != nil {
		return err
	}
	return n.webhook(ctx, tx, ev, now)
}

// webhookTypes are the clock's notices that webhooks carry too; changes
// people make reach webhooks through the audit trail instead.
var webhookTypes = map[string]string{"finding.overdue": "finding.overdue", "contract.cancel_by": "contract.cancel_by_approaching"}

// webhook sends ev to the endpoints subscribed to it, once per event key
// whoever the notice reached.
func (n *Notifier) webhook(ctx context.Context, tx *gorm.DB, ev Event, now time.Time) error {
	typ, ok := webhookTypes[ev.Kind]
	if !ok {
		return nil
	}
	_, err := models.EnqueueWebhook(ctx, tx, models.WebhookEventInput{Key: "notice:" + ev.Key, Type: typ,
		ObjectType: ev.ObjectType, ObjectID: ev.ObjectID, Summary: ev.Title, Data: map[string]any{"title": ev.Title, "text": ev.Body}, At: now})
	return err
}

func (n *Notifier) now() time.Time { return utcNow(n.Now) }

// utcNow reads the injected clock, or the real one when none is set, in UTC.
func utcNow(clock func() time.Time) time.Time {
	if clock != nil {
		return clock().UTC()
	}
	return time.Now().UTC()
}

// mail renders ev for one address; org names the asking company in the
// footer of mails to outside addresses.
func (n *Notifier) mail(ev Event, kind Kind, addr, name string, userID *string, org string, now time.Time) models.MailMessage {
	status := models.MailQueued
	if n.Mode == MailDemo {
		status = models.MailHeld
	}
	link := ev.Link
	if strings.HasPrefix(link, "/") {
		link = strings.TrimRight(n.BaseURL, "/") + link
	}
	m := models.MailMessage{EventKey: ev.Key, Kind: kind.Key, ToEmail: addr, ToName: name, UserID: userID,
		Subject: ev.Title, MessageID: n.messageID("event", ev.Key, addr), ObjectType: ev.ObjectType, ObjectID: ev.ObjectID,
		Status: status, NextAttemptAt: now}
	if ev.Thread != "" {
		m.ThreadID = n.messageID("thread", ev.Thread, addr)
		if ev.StartsThread {
			m.MessageID = m.ThreadID
		}
	}
	if ev.ReplyTo != nil && ev.ReplyTo.Email != "" {
		m.ReplyTo = (&mail.Address{Name: ev.ReplyTo.Name, Address: ev.ReplyTo.Email}).String()
	}
	footer := ""
	if userID != nil {
		m.UnsubscribeURL = strings.TrimRight(n.BaseURL, "/") + "/settings/notifications"
		footer = "You receive this because of your notification settings in Rampart: " + m.UnsubscribeURL
	} else if org != "" {
		footer = "Sent by " + org + "'s vendor risk program. Reply to this message to reach the person who asked."
	}
	if ev.Footer != "" {
		footer = ev.Footer
	}
	data := mailData{Title: ev.Title, Paragraphs: strings.Split(strings.TrimSpace(ev.Body), "\n\n"), Link: link, Footer: footer}
	m.TextBody = render(textMail, data)
	m.HTMLBody = renderHTML(data)
	return m
}

// messageID is a stable Message-ID for (what, key, address): a message
// sent again after a crash carries the same one, so mail programs show it
// once, and every message of a thread can name the thread's first.
func (n *Notifier) messageID(what, key, addr string) string {
	sum := sha256.Sum256([]byte(what + "\x00" + key + "\x00" + addr))
	host := "rampart.invalid"
	if u, err := url.Parse(n.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return hex.EncodeToString(sum[:16]) + "@" + host
}

type mailData struct {
	Title      string
	Paragraphs []string
	Link       string
	Footer     string
}

var textMail = template.Must(template.New("text").Parse(`{{.Title}}
{{range .Paragraphs}}
{{.}}
{{end}}{{if .Link}}
Open: {{.Link}}
{{end}}{{if .Footer}}
--
{{.Footer}}
{{end}}`))

var htmlMail = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html><body style="font-family: system-ui, sans-serif; color: #1f2937; line-height: 1.5">
<h1 style="font-size: 18px">{{.Title}}</h1>
{{range .Paragraphs}}<p style="white-space: pre-line">{{.}}</p>
{{end}}{{if .Link}}<p><a href="{{.Link}}" style="display: inline-block; padding: 8px 14px; background: #1d4ed8; color: #fff; text-decoration: none; border-radius: 4px">Open in Rampart</a></p>
<p style="font-size: 12px; color: #6b7280">Or copy this address: {{.Link}}</p>
{{end}}{{if .Footer}}<hr style="border: 0; border-top: 1px solid #e5e7eb"><p style="font-size: 12px; color: #6b7280">{{.Footer}}</p>
{{end}}</body></html>`))

func render(t *template.Template, data mailData) string {
	var b bytes.Buffer
	_ = t.Execute(&b, data)
	return b.String()
}

func renderHTML(data mailData) string {
	var b bytes.Buffer
	_ = htmlMail.Execute(&b, data)
	return b.String()
}

type userRow struct {
	ID, Email, Name string
}

// activeUsers returns the active users among ids, by id.
func activeUsers(ctx context.Context, tx *gorm.DB, ids []string) (map[string]userRow, error) {
	out := map[string]userRow{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []userRow
	if err := tx.WithContext(ctx).Model(&models.User{}).Select("id, email, name").
		Where("id IN ? AND active = ?", ids, true).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}
