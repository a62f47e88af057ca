package handlers

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

func tinyPNG(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestPortalLogo: an administrator sets the portal's logo in Settings (a
// PNG or JPEG by content, small); the portal says it has one and serves it
// only behind a working link; replacing and removing it are audited and
// leave no row behind.
func TestPortalLogo(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		admin, risk := f.as(models.RoleAdmin), f.as(models.RoleRiskManager)
		_, portal := f.threadAssessment(&risk, tpl.ID, "Logo Vendor", "sec@logo.test")

		if got := decode[portalLogoResponse](t, f.call(&admin, "GET", "/api/v1/settings/portal-logo", "")); got.Logo != nil {
			t.Fatalf("logo before any: %+v", got)
		}
		if v := decode[portalResponse](t, f.call(nil, "GET", portal, "")); v.Logo {
			t.Fatal("the portal claims a logo before one is set")
		}
		if r := f.call(nil, "GET", portal+"/logo", ""); r.Code != 404 {
			t.Fatalf("logo before any: %d", r.Code)
		}
		for _, c := range []struct{ name, content string }{
			{"logo.pdf", "%PDF-1.4\n%%EOF\n"},
			{"logo.svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`},
			{"big.png", tinyPNG(t) + strings.Repeat("\x00", 600<<10)},
		} {
			if r := f.uploadNamed(&admin, "/api/v1/settings/portal-logo", c.name, strings.NewReader(c.content)); r.Code != 422 || r.problem().Errors[0].Field != "file" {
				t.Fatalf("%s: %d %s", c.name, r.Code, r.Body)
			}
		}
		if r := f.uploadNamed(&risk, "/api/v1/settings/portal-logo", "logo.png", strings.NewReader(tinyPNG(t))); r.Code != 403 {
			t.Fatalf("a risk manager sets the logo: %d", r.Code)
		}
		img := tinyPNG(t)
		for range 2 { // the second replaces the first
			if r := f.uploadNamed(&admin, "/api/v1/settings/portal-logo", "logo.png", strings.NewReader(img)); r.Code != 201 {
				t.Fatalf("set logo: %d %s", r.Code, r.Body)
			}
		}
		var rows int64
		db.Gorm.Model(&models.PortalLogo{}).Count(&rows)
		if rows != 1 {
			t.Fatalf("%d logo rows", rows)
		}
		if v := decode[portalResponse](t, f.call(nil, "GET", portal, "")); !v.Logo {
			t.Fatal("the portal does not say it has a logo")
		}
		if r := f.call(nil, "GET", portal+"/logo", ""); r.Code != 200 || r.Body.String() != img || r.Header().Get("Content-Type") != "image/png" {
			t.Fatalf("portal logo: %d %v", r.Code, r.Header())
		}
		if r := f.call(nil, "GET", "/api/v1/portal/rpt_nothing/logo", ""); r.Code != 404 {
			t.Fatalf("logo behind a dead link: %d", r.Code)
		}
		if r := f.call(&admin, "DELETE", "/api/v1/settings/portal-logo", ""); r.Code != 204 {
			t.Fatalf("remove: %d %s", r.Code, r.Body)
		}
		if r := f.call(&admin, "DELETE", "/api/v1/settings/portal-logo", ""); r.Code != 404 {
			t.Fatalf("remove again: %d", r.Code)
		}
		var audited []models.AuditEvent
		db.Gorm.Where("action LIKE ?", "portal_logo.%").Order("seq").Find(&audited)
		if len(audited) != 3 || audited[2].Action != "portal_logo.remove" {
			t.Fatalf("audit %+v", audited)
		}
	})
}
