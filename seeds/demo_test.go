package seeds_test

import (
	"context"
	"errors"
	"testing"

	"rampart/app/password"
	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

func TestDemoLoadsOnceIntoEmptyDatabase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		if err := seeds.Demo(ctx, db.Gorm); err != nil {
			t.Fatal(err)
		}
		for _, d := range seeds.DemoUsers {
			u, err := models.UserByEmail(ctx, db.Gorm, d.Email)
			if err != nil {
				t.Fatalf("%s: %v", d.Email, err)
			}
			if u.Role != d.Role || !u.Active {
				t.Errorf("%s: role %s active %v", d.Email, u.Role, u.Active)
			}
			if ok, _, err := password.Verify(seeds.DemoPassword, u.PasswordHash); !ok || err != nil {
				t.Errorf("%s: demo password does not verify (%v)", d.Email, err)
			}
		}
		if err := seeds.Demo(ctx, db.Gorm); !errors.Is(err, seeds.ErrNotEmpty) {
			t.Fatalf("second load: err = %v, want ErrNotEmpty", err)
		}
		n, _ := models.CountUsers(ctx, db.Gorm)
		if n != int64(len(seeds.DemoUsers)) {
			t.Fatalf("%d users after a refused second load, want %d", n, len(seeds.DemoUsers))
		}
	})
}
