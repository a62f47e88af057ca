package seeds_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"rampart/app/password"
	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

func TestDemoLoadsOnceIntoEmptyDatabase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		res, err := seeds.Demo(ctx, db.Gorm)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.PortalToken) < 40 {
			t.Fatalf("demo portal token %q", res.PortalToken)
		}
		apage, err := models.ListAssessments(ctx, db.Gorm, models.AssessmentFilter{Limit: 50})
		if err != nil || apage.Total != 6 {
			t.Fatalf("demo assessments: %d %v", apage.Total, err)
		}
		scored := 0
		for _, a := range apage.Items {
			if a.Effectiveness != nil && *a.Effectiveness > 0 && *a.Effectiveness <= 100 {
				scored++
			}
		}
		cs, err := models.ListContracts(ctx, db.Gorm, models.ContractFilter{Limit: 200})
		if err != nil || cs.Total < 16 {
			t.Errorf("demo contracts: %d %v", cs.Total, err)
		}
		fs, err := models.ListFindings(ctx, db.Gorm, models.FindingFilter{Overdue: true, Today: time.Now().UTC().Format(time.DateOnly), Limit: 50})
		if err != nil || fs.Total == 0 {
			t.Errorf("demo overdue findings: %d %v", fs.Total, err)
		}
		if scored != 4 {
			t.Errorf("%d demo assessments carry a score, want 4", scored)
		}
		salts := map[string]string{}
		for _, d := range seeds.DemoUsers {
			u, err := models.UserByEmail(ctx, db.Gorm, d.Email)
			if err != nil {
				t.Fatalf("%s: %v", d.Email, err)
			}
			// PHC: $argon2id$v=19$m=...,t=...,p=...$SALT$HASH
			parts := strings.Split(u.PasswordHash, "$")
			if len(parts) != 6 {
				t.Fatalf("%s: hash %q is not a PHC string", d.Email, u.PasswordHash)
			}
			if other, dup := salts[parts[4]]; dup {
				t.Errorf("%s shares its password salt with %s", d.Email, other)
			}
			salts[parts[4]] = d.Email
			if u.Role != d.Role || !u.Active {
				t.Errorf("%s: role %s active %v", d.Email, u.Role, u.Active)
			}
			if ok, _, err := password.Verify(seeds.DemoPassword, u.PasswordHash); !ok || err != nil {
				t.Errorf("%s: demo password does not verify (%v)", d.Email, err)
			}
		}
		page, err := models.ListVendors(ctx, db.Gorm, models.VendorFilter{Limit: 200})
		if err != nil || page.Total != seeds.DemoVendorCount {
			t.Fatalf("demo vendors: %d (%v)", page.Total, err)
		}
		statuses, withOwner := map[string]int{}, 0
		for _, v := range page.Items {
			statuses[v.Status]++
			if v.Owner != nil {
				withOwner++
			}
		}
		if len(statuses) < 5 || withOwner < 10 {
			t.Errorf("demo portfolio lacks variety: statuses %v, %d with an owner", statuses, withOwner)
		}
		counts, err := models.CountRequestsByStatus(ctx, db.Gorm, models.RequestFilter{})
		if err != nil || len(counts) < 6 {
			t.Errorf("demo requests by status: %v (%v)", counts, err)
		}
		if _, err := seeds.Demo(ctx, db.Gorm); !errors.Is(err, seeds.ErrNotEmpty) {
			t.Fatalf("second load: err = %v, want ErrNotEmpty", err)
		}
		n, _ := models.CountUsers(ctx, db.Gorm)
		if n != int64(len(seeds.DemoUsers)) {
			t.Fatalf("%d users after a refused second load, want %d", n, len(seeds.DemoUsers))
		}
	})
}

func TestGenerateVendorsIsDeterministic(t *testing.T) {
	a, b := seeds.GenerateVendors(300, 7), seeds.GenerateVendors(300, 7)
	names := map[string]bool{}
	for i := range a {
		if a[i].Record.Name != b[i].Record.Name || a[i].Record.AnnualSpend != b[i].Record.AnnualSpend || a[i].Record.Status != b[i].Record.Status {
			t.Fatalf("vendor %d differs between runs", i)
		}
		if names[a[i].Record.Name] {
			t.Fatalf("duplicate generated name %q", a[i].Record.Name)
		}
		names[a[i].Record.Name] = true
	}
	if c := seeds.GenerateVendors(300, 8); c[0].Record.Status == a[0].Record.Status && c[1].Record.Status == a[1].Record.Status && c[2].Record.AnnualSpend == a[2].Record.AnnualSpend {
		t.Error("another seed gives the same data")
	}
}
