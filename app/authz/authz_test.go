package authz

import (
	"os"
	"strings"
	"testing"

	"rampart/models"
)

func TestEveryRoleHasAnEntryAndOwnActions(t *testing.T) {
	for _, r := range models.Roles {
		if !Can(r, ProfileOwn) || !Can(r, TokensOwn) {
			t.Errorf("%s cannot manage its own profile and tokens", r)
		}
		for _, a := range For(r) {
			if a == Public {
				t.Errorf("%s lists the public marker as an action", r)
			}
		}
	}
	if Can("intruder", ProfileOwn) || len(For("intruder")) != 0 {
		t.Error("an unknown role has permissions")
	}
	if Can(models.RoleRequester, VendorsRead) || Can(models.RoleRiskManager, UsersManage) || Can(models.RoleAuditor, UsersManage) {
		t.Error("a role has more than the table grants")
	}
}

func TestEveryActionIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/security.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range All {
		if !strings.Contains(string(doc), "`"+string(a)+"`") {
			t.Errorf("docs/security.md does not describe %s", a)
		}
	}
}
