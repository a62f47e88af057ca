// Package seeds holds the built-in data Rampart ships with and the demo
// data generator. The generator is deterministic: the same size gives the
// same records, so demo mode, tests and benchmarks share one dataset.
package seeds

import (
	"context"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"

	"rampart/app/password"
	"rampart/app/scoring"
	"rampart/models"
)

// DemoPassword is the password of every demo account. Demo accounts exist
// only in demo mode (`rampart serve --demo` or `rampart seed`).
const DemoPassword = "demo-password"

// DemoOrgName is the company the demo's people work for, as vendors read it in
// mails and the portal; Demo stores it as the name set in Settings.
const DemoOrgName = "Example Corp"

// DemoUser is one of the demo accounts.
type DemoUser struct {
	Email      string
	Name       string
	Role       models.Role
	Department string
}

// DemoUsers are the accounts ARCHITECTURE.md promises in demo mode.
var DemoUsers = []DemoUser{
	{"admin@example.com", "Alex Morgan", models.RoleAdmin, "IT"},
	{"risk@example.com", "Riley Chen", models.RoleRiskManager, "Security"},
	{"legal@example.com", "Lena Fischer", models.RoleLegal, "Legal"},
	{"head@example.com", "Hugo Martins", models.RoleRequester, "Marketing"},
	{"auditor@example.com", "Ava Okafor", models.RoleAuditor, "Internal Audit"},
}

// DemoResult is what loading the demo data produced that a person needs.
type DemoResult struct {
	// PortalToken opens the vendor portal of a demo assessment just sent.
	PortalToken string
}

// ErrNotEmpty means the database already has users, so demo data is not
// loaded: demo accounts must never appear beside real ones.
var ErrNotEmpty = errors.New("the database already has users; demo data is loaded only into an empty database")

// DemoVendorCount is the size of the demo portfolio.
const DemoVendorCount = 40

// demoSeed fixes the demo data: the same seed, the same portfolio.
const demoSeed = 20261124

// Demo loads the demo accounts and portfolio into an empty database, all
// or nothing.
func Demo(ctx context.Context, db *gorm.DB) (*DemoResult, error) {
	// Each account gets its own hash (its own salt): one shared hash would
	// tell anyone who sees the table that the accounts share a password,
	// and crack them all at once.
	hashes := make([]string, len(DemoUsers)+1) // the last for DemoScopedUser
	for i := range hashes {
		h, err := password.Hash(DemoPassword)
		if err != nil {
			return nil, err
		}
		hashes[i] = h
	}
	res := &DemoResult{}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		n, err := models.CountUsers(ctx, tx)
		if err != nil {
			return err
		}
		if n > 0 {
			return ErrNotEmpty
		}
		users := make([]*models.User, len(DemoUsers))
		for i, d := range DemoUsers {
			u := &models.User{Email: d.Email, Name: d.Name, Role: d.Role, Department: d.Department, Active: true, PasswordHash: hashes[i]}
			if err := models.CreateUser(ctx, tx, u); err != nil {
				return err
			}
			users[i] = u
		}
		units, err := seedUnits(ctx, tx)
		if err != nil {
			return err
		}
		if err := seedScopedUser(ctx, tx, hashes[len(DemoUsers)], units); err != nil {
			return err
		}
		// Stored like an administrator's setting, so Settings shows the name
		// vendors read and a newcomer can change it there.
		if _, err := models.SaveOrganizationName(ctx, tx, 1, DemoOrgName, users[0].ID); err != nil {
			return err
		}
		// The risk model first: the year is planned by tier.
		if err := scoring.Install(ctx, tx, RiskModelJSON()); err != nil {
			return err
		}
		m, _, err := scoring.Current(ctx, tx)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		specs := GenerateVendors(DemoVendorCount, demoSeed)
		plan := planDemo(specs, m, now)
		ids := make([]string, len(specs))
		// One active infrastructure provider hosts many of the others, so
		// the fourth-party concentration view has a provider to show.
		host := slices.IndexFunc(specs, func(s VendorSpec) bool {
			return s.Record.Category == "cloud_infrastructure" && s.Record.Status == "active"
		})
		for i := range specs {
			rec := &specs[i].Record
			rec.CreatedAt, rec.UpdatedAt = plan.onboarded[i], plan.onboarded[i]
			// Owners are people who run vendors day to day, not the auditor.
			if o := specs[i].OwnerIndex; o >= 0 && users[o].Role != models.RoleAuditor {
				rec.OwnerID = &users[o].ID
			}
			// A few fourth parties point at other demo vendors.
			if i%5 == 4 {
				// The linked one records nothing of its own, so the supply chain
				// shows its record's values, marked as such.
				rec.Subprocessors = []models.VendorSubprocessor{{LinkedVendorID: &ids[i-3], Name: specs[i-3].Record.Name, Purpose: "hosting"},
					{Name: "Gridlock Payments", Purpose: "card processing",
						DataTypes: models.StringList{"payment_card_data", "personal_data"}, Locations: models.StringList{"Netherlands", "United States"}}}
			}
			if host >= 0 && i > host && i%3 == 1 && i%5 != 4 {
				rec.Subprocessors = append(rec.Subprocessors, models.VendorSubprocessor{LinkedVendorID: &ids[host], Name: specs[host].Record.Name, Purpose: "hosting",
					DataTypes: models.StringList(slices.Clone(rec.DataTypes)), Locations: models.StringList{"Ireland", "Germany"}})
			}
			if err := models.CreateVendor(ctx, tx, rec); err != nil {
				return err
			}
			// Before its contracts, assessments and findings, which take its units.
			if err := models.SetUnits(ctx, tx, models.UnitVendor, rec.ID, demoVendorUnits(i, units)); err != nil {
				return err
			}
			ids[i] = rec.ID
			if err := models.AppendAudit(ctx, tx, &models.AuditEvent{ActorType: models.ActorSystem, ActorLabel: "demo data",
				Action: "vendor.create", ObjectType: "vendor", ObjectID: rec.ID, AfterData: models.AuditJSON(map[string]any{"name": rec.Name, "status": rec.Status})}); err != nil {
				return err
			}
		}
		byRole := map[models.Role]*models.User{}
		for _, u := range users {
			byRole[u.Role] = u
		}
		start := time.Now().UTC().Add(-time.Duration(len(demoRequests)+2) * 26 * time.Hour).Truncate(time.Hour)
		if err := seedRequests(ctx, tx, byRole[models.RoleRequester], byRole[models.RoleRiskManager], byRole[models.RoleLegal], start); err != nil {
			return err
		}
		if res.PortalToken, err = seedAssessments(ctx, tx, ids, plan.assessments, byRole[models.RoleRiskManager], now); err != nil {
			return err
		}
		if err := seedContractsAndFindings(ctx, tx, ids, byRole[models.RoleRiskManager], now); err != nil {
			return err
		}
		if err := seedExceptions(ctx, tx, byRole[models.RoleRiskManager], byRole[models.RoleAdmin], now); err != nil {
			return err
		}
		if err := seedOffboarding(ctx, tx, specs, ids, byRole[models.RoleRiskManager], byRole[models.RoleLegal], now); err != nil {
			return err
		}
		if err := seedWebhook(ctx, tx, byRole[models.RoleAdmin]); err != nil {
			return err
		}
		if err := seedDORA(ctx, tx, now); err != nil {
			return err
		}
		if err := seedCustomFields(ctx, tx, ids); err != nil {
			return err
		}
		return replayHistory(ctx, tx, ids)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
