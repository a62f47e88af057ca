package seeds

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"rampart/models"
)

// demoCustomFields are the fields an administrator has added in the demo:
// three on vendors, three on contracts, one on findings.
var demoCustomFields = []models.CustomField{
	{EntityType: "vendor", Key: "cost_centre", Label: "Cost centre", Type: models.CustomText, HelpText: "Finance's cost centre code that pays the vendor, e.g. FIN-120."},
	{EntityType: "vendor", Key: "annual_spend_usd", Label: "Annual spend (USD)", Type: models.CustomNumber, HelpText: "Converted at the budget rate, for comparing vendors billed in other currencies."},
	{EntityType: "vendor", Key: "data_residency", Label: "Data residency", Type: models.CustomMultiple, HelpText: "Where the vendor stores our data.",
		Options: models.StringList{"EU", "UK", "US", "APAC"}},
	{EntityType: "contract", Key: "purchase_order", Label: "Purchase order", Type: models.CustomText, HelpText: "The purchase order number procurement raised for this contract."},
	{EntityType: "contract", Key: "budget_owner", Label: "Budget owner", Type: models.CustomUser, HelpText: "Who approves renewing this contract's spend."},
	{EntityType: "contract", Key: "renewal_decision", Label: "Renewal decision", Type: models.CustomSingle, HelpText: "What the business wants at the next renewal.",
		Options: models.StringList{"Renew", "Renegotiate", "Exit", "Undecided"}},
	{EntityType: "finding", Key: "ticket_url", Label: "Ticket URL", Type: models.CustomURL, HelpText: "The remediation ticket in the engineering tracker."},
}

var demoCostCentres = []string{"FIN-120", "ENG-300", "OPS-210", "MKT-410", "HR-150"}
var demoResidencies = [][]string{{"EU"}, {"EU", "US"}, {"US"}, {"UK", "EU"}, {"APAC", "US"}}

// seedCustomFields defines the demo's custom fields and fills them in on
// most vendors and on the first findings.
func seedCustomFields(ctx context.Context, tx *gorm.DB, vendorIDs []string) error {
	fields := make([]models.CustomField, len(demoCustomFields))
	for i := range demoCustomFields {
		f := demoCustomFields[i]
		if f.Options == nil {
			f.Options = models.StringList{}
		}
		if err := models.CreateCustomField(ctx, tx, &f); err != nil {
			return err
		}
		if err := models.AppendAudit(ctx, tx, &models.AuditEvent{ActorType: models.ActorSystem, ActorLabel: "demo data",
			Action: "custom_field.create", ObjectType: "custom_field", ObjectID: f.ID, AfterData: models.AuditJSON(map[string]any{"key": f.Key, "label": f.Label})}); err != nil {
			return err
		}
		fields[i] = f
	}
	vendorFields := fields[:3]
	for i, id := range vendorIDs {
		if i%6 == 5 {
			continue // some vendors not filled in yet
		}
		vals := models.CustomValues{
			"cost_centre":      demoCostCentres[i%len(demoCostCentres)],
			"annual_spend_usd": float64(((i*7919)%90 + 5) * 1000),
			"data_residency":   demoResidencies[i%len(demoResidencies)],
		}
		if err := models.SaveCustomValues(ctx, tx, "vendor", id, vendorFields, vals); err != nil {
			return err
		}
	}
	var owners []models.User
	if err := tx.WithContext(ctx).Where("role IN ?", []models.Role{models.RoleLegal, models.RoleRiskManager}).Order("email").Find(&owners).Error; err != nil {
		return err
	}
	var contracts []models.Contract
	if err := tx.WithContext(ctx).Order("created_at, id").Find(&contracts).Error; err != nil {
		return err
	}
	decisions := demoCustomFields[5].Options
	for i, c := range contracts {
		if i%4 == 3 {
			continue // not every contract is filled in
		}
		vals := models.CustomValues{
			"purchase_order":   fmt.Sprintf("PO-2026-%04d", 310+i*7),
			"renewal_decision": decisions[i%len(decisions)],
		}
		if len(owners) > 0 {
			vals["budget_owner"] = owners[i%len(owners)].ID
		}
		if err := models.SaveCustomValues(ctx, tx, "contract", c.ID, fields[3:6], vals); err != nil {
			return err
		}
	}
	var findings []models.Finding
	if err := tx.WithContext(ctx).Order("created_at, id").Limit(6).Find(&findings).Error; err != nil {
		return err
	}
	for i, f := range findings {
		vals := models.CustomValues{"ticket_url": fmt.Sprintf("https://tracker.example.com/browse/SEC-%d", 101+i)}
		if err := models.SaveCustomValues(ctx, tx, "finding", f.ID, fields[6:], vals); err != nil {
			return err
		}
	}
	return nil
}
