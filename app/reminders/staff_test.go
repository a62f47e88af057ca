package reminders_test

import (
	"strings"
	"testing"
	"time"

	"rampart/app/auth"
	"rampart/app/contracts"
	"rampart/app/findings"
	"rampart/app/mail/mailtest"
	"rampart/app/scoring"
	"rampart/models"
	"rampart/models/testdb"
)

func ptr[T any](v T) *T { return &v }

// Seventy days of staff dates, scanned twice a day: each person hears of
// each finding, exception and contract date once, at its time, and
// nothing of what is closed; an exception's end reopens its finding,
// rescores the vendor and tells its requester and approver once.
func TestStaffDueDates(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		wd := newWorld(t, db)
		ctx := wd.ctx
		v := wd.vendor("Acme", wd.users["riley"])
		fs := &findings.Service{DB: db.Gorm, Now: wd.clk.Now, Notify: wd.n}
		sam, riley, lee, lou := wd.users["sam"], wd.users["riley"], wd.users["lee"], wd.users["lou"]
		newFinding := func(title, owner, due string) *models.Finding {
			f, err := fs.Create(ctx, wd.as("riley"), findings.New{VendorID: v.ID, Title: title, Severity: "high", OwnerID: owner, DueDate: due}, auth.Origin{})
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		f1 := newFinding("Backups never restored", sam.ID, day(start.AddDate(0, 0, 7)))
		f2 := newFinding("Old TLS", sam.ID, day(start.AddDate(0, 0, 3)))
		if _, err := fs.Update(ctx, wd.as("sam"), f2.ID, f2.Version, findings.Changes{Status: ptr("resolved")}, auth.Origin{}); err != nil {
			t.Fatal(err)
		}
		f4 := newFinding("No SSO", riley.ID, day(start.AddDate(0, 0, 200)))
		e, err := fs.RequestException(ctx, wd.as("riley"), "", f4.ID, "Compensated by IP allow-listing", "", day(start.AddDate(0, 0, 14)), auth.Origin{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fs.DecideException(ctx, wd.as("sam"), e.ID, e.Version, true, auth.Origin{}); err != nil {
			t.Fatal(err)
		}
		cs := &contracts.Service{DB: db.Gorm, Now: wd.clk.Now}
		c, err := cs.Create(ctx, wd.as("lee"), contracts.Fields{VendorID: &v.ID, Title: ptr("Master services agreement"), Status: ptr("signed"),
			EffectiveDate: ptr(day(start.AddDate(-1, 0, 95))), EndDate: ptr(day(start.AddDate(0, 0, 95))), AutoRenewal: ptr(true),
			RenewalTermMonths: ptr(int64(12)), NoticePeriod: ptr(int64(30)), NoticeUnit: ptr("days"), OwnerID: &riley.ID}, auth.Origin{})
		if err != nil {
			t.Fatal(err)
		}
		if c.CancelBy == "" {
			t.Fatal("the contract has no cancel-by date")
		}
		if _, err := cs.Create(ctx, wd.as("lee"), contracts.Fields{VendorID: &v.ID, Title: ptr("Old order form"), Status: ptr("terminated"),
			EndDate: ptr(day(start.AddDate(0, 0, 40))), AutoRenewal: ptr(true), RenewalTermMonths: ptr(int64(12)),
			NoticePeriod: ptr(int64(10)), NoticeUnit: ptr("days"), OwnerID: &riley.ID}, auth.Origin{}); err != nil {
			t.Fatal(err)
		}

		cancelDays := map[string]bool{}
		for d := 0; d <= 70; d++ {
			now := wd.clk.Now()
			for range 2 {
				if err := wd.scans.ExpireExceptions(ctx, now); err != nil {
					t.Fatal(err)
				}
				if err := wd.scans.StaffDueDates(ctx, now); err != nil {
					t.Fatal(err)
				}
			}
			if n := len(wd.notices(lee, "contract.cancel_by")); n > len(cancelDays) {
				cancelDays[day(now)] = true
			}
			if d == 14 { // the exception's last day: still in force
				if f, _ := models.GetFinding(ctx, db.Gorm, f4.ID); f.Status != "risk_accepted" {
					t.Fatalf("finding %s on the exception's last day", f.Status)
				}
			}
			wd.clk.AddDays(1)
		}

		for _, c := range []struct {
			who  *models.User
			kind string
			want int
		}{
			{sam, "finding.assigned", 2}, {sam, "finding.due", 1}, {sam, "finding.overdue", 1},
			{riley, "finding.assigned", 0}, {riley, "finding.due", 0},
			{sam, "exception.expiring", 1}, {riley, "exception.expiring", 1}, {sam, "exception.expired", 1}, {riley, "exception.expired", 1},
			{lee, "exception.expiring", 0},
			{riley, "contract.cancel_by", 3}, {lee, "contract.cancel_by", 3}, {lou, "contract.cancel_by", 3}, {sam, "contract.cancel_by", 0},
		} {
			if got := wd.notices(c.who, c.kind); len(got) != c.want {
				t.Errorf("%s has %d %s notices, want %d: %+v", c.who.Name, len(got), c.kind, c.want, got)
			}
		}
		if due := wd.notices(sam, "finding.due"); len(due) == 1 && (!due[0].Digest || due[0].ObjectID != f1.ID) {
			t.Errorf("finding.due is %+v; want f1, waiting for the digest (its default)", due[0])
		}
		cb, _ := time.Parse(time.DateOnly, c.CancelBy)
		for _, before := range []int{60, 30, 7} {
			if d := day(cb.AddDate(0, 0, -before)); !cancelDays[d] {
				t.Errorf("no cancel-by notice on %s (%d days before %s); notices on %v", d, before, c.CancelBy, cancelDays)
			}
		}
		// By mail, as each kind's default says: finding.due waits for the digest.
		msgs := wd.deliver()
		count := func(addr, prefix string) int {
			n := 0
			for _, m := range mailtest.To(msgs, addr) {
				if strings.HasPrefix(m.Subject(), prefix) {
					n++
				}
			}
			return n
		}
		for _, c := range []struct {
			addr, prefix string
			want         int
		}{{"sam@corp.test", "Finding overdue: Backups never restored", 1}, {"sam@corp.test", "Finding due", 0},
			{"riley@corp.test", "Exception ends in 14 days", 1}, {"lee@corp.test", "Cancel-by", 3}, {"riley@corp.test", "Exception expired", 1}} {
			if got := count(c.addr, c.prefix); got != c.want {
				t.Errorf("%s got %d mails %q…, want %d", c.addr, got, c.prefix, c.want)
			}
		}
		f, _ := models.GetFinding(ctx, db.Gorm, f4.ID)
		if f.Status != "open" {
			t.Errorf("after its exception ended the finding is %s, want open", f.Status)
		}
		if h, _ := models.LatestRisk(ctx, db.Gorm, v.ID); h == nil || h.Cause != scoring.CauseExceptionExpired {
			t.Errorf("the vendor was not rescored at the exception's end: %+v", h)
		}
	})
}
