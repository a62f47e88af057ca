package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

func TestUsersAdministration(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin := f.as(models.RoleAdmin)

		r := f.call(&admin, "POST", "/api/v1/users", `{"email":"Dana@Corp.test","name":"Dana","role":"requester","department":"Sales","password":"a long enough passphrase"}`)
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		dana := decode[userResponse](t, r)
		if dana.Email != "dana@corp.test" || dana.Version != 1 || !dana.Active || strings.Contains(r.Body.String(), "argon2") {
			t.Fatalf("created %+v / %s", dana, r.Body)
		}
		for body, field := range map[string]string{
			`{"email":"dana@corp.test","name":"Again","role":"legal","password":"a long enough passphrase"}`:         "email",
			`{"email":"x@corp.test","name":"X","role":"superuser","password":"a long enough passphrase"}`:            "role",
			`{"email":"x@corp.test","name":"X","role":"legal","password":"password1234"}`:                            "password",
			`{"email":"x@corp.test","name":"X","role":"legal","password":"a long enough passphrase","active":false}`: "active",
		} {
			r := f.call(&admin, "POST", "/api/v1/users", body)
			if r.Code != 422 || r.problem().Errors[0].Field != field {
				t.Errorf("%s: %d %s, want 422 on %s", body, r.Code, r.Body, field)
			}
		}

		// List: search, filters, sort and pages.
		list := decode[listResponse[userResponse]](t, f.call(&admin, "GET", "/api/v1/users?q=DANA", ""))
		if list.Total != 1 || list.Items[0].ID != dana.ID {
			t.Fatalf("search: %+v", list)
		}
		list = decode[listResponse[userResponse]](t, f.call(&admin, "GET", "/api/v1/users?role=requester&active=true&sort=-email", ""))
		if list.Total != 2 || list.Items[0].Email != "requester@corp.test" || list.Items[1].Email != "dana@corp.test" {
			t.Fatalf("filtered sort: %+v", list)
		}
		if l := decode[listResponse[userResponse]](t, f.call(&admin, "GET", "/api/v1/users?role=requester,legal", "")); l.Total != 3 {
			t.Fatalf("two roles: %d users", l.Total)
		}
		seen := map[string]bool{}
		cursor := ""
		for pages := 0; ; pages++ {
			r := f.call(&admin, "GET", "/api/v1/users?limit=2&sort=email&cursor="+cursor, "")
			page := decode[listResponse[userResponse]](t, r)
			for _, u := range page.Items {
				if seen[u.ID] {
					t.Fatalf("user %s on two pages", u.Email)
				}
				seen[u.ID] = true
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
			if pages > 5 {
				t.Fatal("pagination does not end")
			}
		}
		if len(seen) != 6 {
			t.Fatalf("pages covered %d users, want 6", len(seen))
		}
		for _, q := range []string{"sort=password_hash", "limit=0", "limit=201", "role=root", "active=maybe", "cursor=%21%21", "colour=red", "q=" + strings.Repeat("x", 201)} {
			if r := f.call(&admin, "GET", "/api/v1/users?"+q, ""); r.Code != 422 {
				t.Errorf("?%s: %d, want 422", q, r.Code)
			}
		}
		// Hostile search text is data, not SQL or a wildcard.
		for _, q := range []string{"%25", "r_s", "'%20OR%201=1--", "%5C"} {
			if l := decode[listResponse[userResponse]](t, f.call(&admin, "GET", "/api/v1/users?q="+q, "")); l.Total != 0 {
				t.Errorf("?q=%s matched %d users", q, l.Total)
			}
		}

		// Update with optimistic locking.
		path := "/api/v1/users/" + dana.ID
		r = f.call(&admin, "PATCH", path, `{"version":1,"role":"legal","department":"Legal"}`)
		if r.Code != 200 || decode[userResponse](t, r).Version != 2 {
			t.Fatalf("update: %d %s", r.Code, r.Body)
		}
		r = f.call(&admin, "PATCH", path, `{"version":1,"name":"Stale"}`)
		if r.Code != 409 || !strings.Contains(r.Body.String(), `"current"`) || !strings.Contains(r.Body.String(), `"role":"legal"`) {
			t.Fatalf("stale update: %d %s", r.Code, r.Body)
		}
		if r := f.call(&admin, "PATCH", path, `{"version":2,"password_hash":"x"}`); r.Code != 422 {
			t.Fatalf("mass assignment of password_hash: %d", r.Code)
		}
		if r := f.call(&admin, "PATCH", "/api/v1/users/nope", `{"version":1,"name":"X"}`); r.Code != 404 {
			t.Fatalf("unknown user: %d", r.Code)
		}

		// Deactivation ends the user's sessions.
		danaSession, _ := f.signIn("dana@corp.test", "a long enough passphrase")
		r = f.call(&admin, "PATCH", path, `{"version":2,"active":false}`)
		if r.Code != 200 {
			t.Fatalf("deactivate: %d %s", r.Code, r.Body)
		}
		if r := f.call(&danaSession, "GET", "/api/v1/auth/me", ""); r.Code != 401 {
			t.Fatalf("deactivated user's session: %d", r.Code)
		}
		if _, r := f.signIn("dana@corp.test", "a long enough passphrase"); r.Code != 401 {
			t.Fatalf("deactivated user signs in: %d", r.Code)
		}

		// The last active administrator stays.
		adminID := f.users[models.RoleAdmin].ID
		r = f.call(&admin, "PATCH", "/api/v1/users/"+adminID, `{"version":1,"role":"auditor"}`)
		if r.Code != 422 || r.problem().Errors[0].Field != "role" {
			t.Fatalf("demoting the last admin: %d %s", r.Code, r.Body)
		}
		if r := f.call(&admin, "PATCH", "/api/v1/users/"+adminID, `{"version":1,"active":false}`); r.Code != 422 {
			t.Fatalf("deactivating the last admin: %d", r.Code)
		}

		// Property level: a user cannot change their own role through /auth/me.
		legal := f.as(models.RoleLegal)
		if r := f.call(&legal, "PATCH", "/api/v1/auth/me", `{"name":"L","version":1,"role":"admin"}`); r.Code != 422 {
			t.Fatalf("role via /auth/me: %d", r.Code)
		}
		u, _ := models.UserByID(context.Background(), db.Gorm, f.users[models.RoleLegal].ID)
		if u.Role != models.RoleLegal {
			t.Fatal("role changed through /auth/me")
		}
	})
}

// TestConcurrentEditsConflict sends two edits from the same version at
// once: exactly one wins, the other gets 409, nothing is lost silently.
func TestConcurrentEditsConflict(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin := f.as(models.RoleAdmin)
		path := "/api/v1/users/" + f.users[models.RoleLegal].ID
		for round := 0; round < 5; round++ {
			version := decode[userResponse](t, f.call(&admin, "GET", path, "")).Version
			codes := make([]int, 2)
			var wg sync.WaitGroup
			for i := range codes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					codes[i] = f.call(&admin, "PATCH", path, fmt.Sprintf(`{"version":%d,"department":"Dept %d-%d"}`, version, round, i)).Code
				}()
			}
			wg.Wait()
			ok, conflict := 0, 0
			for _, c := range codes {
				switch c {
				case http.StatusOK:
					ok++
				case http.StatusConflict:
					conflict++
				}
			}
			if ok != 1 || conflict != 1 {
				t.Fatalf("round %d: statuses %v, want one 200 and one 409", round, codes)
			}
		}
	})
}
