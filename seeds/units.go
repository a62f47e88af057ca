package seeds

import (
	"context"

	"gorm.io/gorm"

	"rampart/models"
)

// DemoUnitNames are the demo's business units: vendors alternate between
// them and a few belong to both (docs/business-units.md).
var DemoUnitNames = []string{"Retail banking", "Corporate"}

// DemoScopedUser is a demo risk manager scoped to the first unit, to show
// what a scoped person sees. Kept apart from DemoUsers, whose order the
// portfolio's owners are drawn from.
var DemoScopedUser = DemoUser{"retail@example.com", "Rosa Lindqvist", models.RoleRiskManager, "Retail banking"}

// seedUnits creates the demo's units and returns their ids in order.
func seedUnits(ctx context.Context, tx *gorm.DB) ([]string, error) {
	ids := make([]string, len(DemoUnitNames))
	for i, name := range DemoUnitNames {
		u := &models.BusinessUnit{Name: name, Description: "Demo business unit"}
		if err := models.CreateBusinessUnit(ctx, tx, u); err != nil {
			return nil, err
		}
		ids[i] = u.ID
	}
	return ids, nil
}

// demoVendorUnits spreads the portfolio: every seventh vendor (from the
// fourth) belongs to both units, the others alternate.
func demoVendorUnits(i int, units []string) []string {
	switch {
	case i%7 == 3:
		return units
	case i%2 == 0:
		return units[:1]
	default:
		return units[1:2]
	}
}

// seedScopedUser adds DemoScopedUser, scoped to the first unit.
func seedScopedUser(ctx context.Context, tx *gorm.DB, hash string, units []string) error {
	d := DemoScopedUser
	u := &models.User{Email: d.Email, Name: d.Name, Role: d.Role, Department: d.Department, Active: true, PasswordHash: hash}
	if err := models.CreateUser(ctx, tx, u); err != nil {
		return err
	}
	return models.SetUserUnits(ctx, tx, u.ID, units[:1])
}
