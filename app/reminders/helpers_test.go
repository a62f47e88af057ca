package reminders_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"rampart/app/assessments"
	"rampart/app/auth"
	"rampart/app/mail"
	"rampart/app/mail/mailtest"
	"rampart/app/notify"
	"rampart/app/reminders"
	"rampart/app/scoring"
	"rampart/models"
)

// clock is a time tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
func (c *clock) AddDays(n int) {
	c.mu.Lock()
	c.t = c.t.AddDate(0, 0, n)
	c.mu.Unlock()
}

// world is a database with staff, a notifier that mails to a real SMTP
// server, and the scans on a clock the test moves.
type world struct {
	t     *testing.T
	ctx   context.Context
	db    *models.DB
	srv   *mailtest.Server
	clk   *clock
	n     *notify.Notifier
	w     *notify.Worker
	scans *reminders.Scans
	users map[string]*models.User
}

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newWorld(t *testing.T, db *models.DB) *world {
	t.Helper()
	srv := mailtest.Start(t)
	cfg, err := mail.ParseURL(srv.URL(), "Vendor Risk <risk@corp.test>")
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: start}
	n := &notify.Notifier{Mode: notify.MailOn, BaseURL: "https://rampart.corp.test", OrgName: "Corp", Now: clk.Now}
	wd := &world{t: t, ctx: context.Background(), db: db, srv: srv, clk: clk, n: n,
		w:     &notify.Worker{DB: db.Gorm, Sender: mail.SMTP{Config: cfg}, Instance: "w", Now: clk.Now},
		scans: &reminders.Scans{DB: db.Gorm, Notify: n}, users: map[string]*models.User{}}
	for _, u := range []struct {
		key  string
		role models.Role
	}{{"riley", models.RoleRiskManager}, {"sam", models.RoleRiskManager}, {"lee", models.RoleLegal}, {"lou", models.RoleLegal}, {"ada", models.RoleAdmin}} {
		wd.users[u.key] = wd.user(u.key, u.role)
	}
	return wd
}

func (wd *world) user(name string, role models.Role) *models.User {
	wd.t.Helper()
	u := &models.User{Email: name + "@corp.test", Name: strings.ToUpper(name[:1]) + name[1:], Role: role, Active: true, PasswordHash: "x"}
	if err := models.CreateUser(wd.ctx, wd.db.Gorm, u); err != nil {
		wd.t.Fatal(err)
	}
	return u
}

func (wd *world) as(name string) *auth.Principal { return &auth.Principal{User: wd.users[name]} }

func (wd *world) vendor(name string, owner *models.User, contacts ...models.VendorContact) *models.VendorRecord {
	wd.t.Helper()
	r := &models.VendorRecord{Vendor: models.Vendor{Name: name, NameKey: strings.ToLower(name), Category: "saas", Status: "active"}, Contacts: contacts}
	if owner != nil {
		r.OwnerID = &owner.ID
	}
	for i := range r.Contacts {
		r.Contacts[i].Position = int64(i + 1)
	}
	if err := models.CreateVendor(wd.ctx, wd.db.Gorm, r); err != nil {
		wd.t.Fatal(err)
	}
	return r
}

func (wd *world) assessmentService() *assessments.Service {
	return &assessments.Service{DB: wd.db.Gorm, Now: wd.clk.Now, Notify: wd.n, BaseURL: wd.n.BaseURL}
}

// send creates an assessment due on due and mails its link to contact, as Riley.
func (wd *world) send(v *models.VendorRecord, due, contact string) *models.Assessment {
	wd.t.Helper()
	tpl, err := models.PublishedTemplate(wd.ctx, wd.db.Gorm, "rampart-lite")
	if err != nil {
		wd.t.Fatal(err)
	}
	svc := wd.assessmentService()
	a, err := svc.Create(wd.ctx, wd.as("riley"), assessments.NewAssessment{VendorID: v.ID, TemplateID: tpl.ID, DueDate: due,
		ReviewerID: wd.users["riley"].ID, ContactName: "Vendor Security", ContactEmail: contact}, auth.Origin{})
	if err != nil {
		wd.t.Fatal(err)
	}
	a, _, err = svc.Send(wd.ctx, wd.as("riley"), a.ID, a.Version, contact, "", 60*24*time.Hour, auth.Origin{})
	if err != nil {
		wd.t.Fatal(err)
	}
	return a
}

// deliver sends what the outbox holds now and returns every message the
// server received so far.
func (wd *world) deliver() []mailtest.Received {
	wd.t.Helper()
	for {
		n, err := wd.w.RunOnce(wd.ctx)
		if err != nil {
			wd.t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	var sent int64
	wd.db.Gorm.Model(&models.MailMessage{}).Where("status = ?", models.MailSent).Count(&sent)
	return wd.srv.WaitFor(int(sent), 5*time.Second)
}

// notices returns a person's notices of one kind.
func (wd *world) notices(u *models.User, kind string) []models.Notification {
	wd.t.Helper()
	var out []models.Notification
	if err := wd.db.Gorm.Where("user_id = ? AND kind = ?", u.ID, kind).Order("created_at").Find(&out).Error; err != nil {
		wd.t.Fatal(err)
	}
	return out
}

// publishTiers publishes the model in force with each tier changed by set.
func (wd *world) publishTiers(set func(i int, t map[string]any)) {
	wd.t.Helper()
	row, err := models.PublishedRiskModel(wd.ctx, wd.db.Gorm)
	if err != nil {
		wd.t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(row.Content), &raw); err != nil {
		wd.t.Fatal(err)
	}
	for i, t := range raw["tiers"].([]any) {
		set(i, t.(map[string]any))
	}
	raw["version"] = row.Version
	b, _ := json.Marshal(raw)
	m, _, err := scoring.Current(wd.ctx, wd.db.Gorm)
	if err != nil {
		wd.t.Fatal(err)
	}
	if err := json.Unmarshal(b, m); err != nil {
		wd.t.Fatal(err)
	}
	if _, _, err := scoring.PublishModel(wd.ctx, wd.db.Gorm, wd.as("ada"), m, b, "reassessments on cadence", auth.Origin{}); err != nil {
		wd.t.Fatal(err)
	}
}

func day(t time.Time) string { return t.Format(time.DateOnly) }
