package seeds

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"gorm.io/gorm"

	"rampart/app/dora"
	"rampart/models"
)

// demoFunction is a function of the demo bank that ICT services support.
type demoFunction struct {
	id, name, activity, criticality string
	rto, rpo                        int64
	impact                          string
}

var demoFunctions = []demoFunction{
	{"F1", "Payment execution", "eba_TA:x222", "eba_BT:x28", 4, 1, "eba_ZZ:x793"},
	{"F2", "Deposit taking and customer accounts", "eba_TA:x162", "eba_BT:x28", 8, 2, "eba_ZZ:x793"},
	{"F3", "Internal collaboration and office IT", "eba_TA:x252", "eba_BT:x29", 72, 24, "eba_ZZ:x791"},
	{"F4", "Regulatory reporting", "eba_TA:x250", "eba_BT:x28", 24, 12, "eba_ZZ:x792"},
}

// demoBranches are the demo bank's branches (B_01.03), as the settings
// keep them.
const demoBranches = `[{"code":"RDB-LU-001","name":"Rampart Demo Bank AG, Luxembourg Branch","country":"LU"},` +
	`{"code":"RDB-AT-001","name":"Rampart Demo Bank AG, Zweigniederlassung Wien","country":"AT"}]`

// demoICTService maps a vendor category to the ICT service its contract
// delivers.
var demoICTService = map[string]string{
	"cloud_infrastructure": "S17", "saas": "S19", "payment": "S07", "data_processor": "S06",
	"professional_services": "S15", "hardware": "S12", "other": "S14",
}

// demoLEI makes a real-looking LEI for a name: an LOU-like prefix, twelve
// characters from the name's hash and valid ISO 7064 check digits.
func demoLEI(prefix, name string) string {
	h := fnv.New64a()
	h.Write([]byte(name))
	body := fmt.Sprintf("%s%012X", prefix, h.Sum64()&0xFFFFFFFFFFFF)
	digits, err := dora.LEICheckDigits(body)
	if err != nil {
		panic(err)
	}
	return body + digits
}

// seedDORA makes the demo a bank under DORA whose register of information
// is complete: our entity's settings, every vendor's LEI, headquarters and
// type of person, and the master agreements as ICT arrangements with their
// service, supported function and assessment. Services whose supply chain
// names a subprocessor without a vendor record support a function that is
// not critical, since only critical functions' chains must be reported
// with every subcontractor identified.
func seedDORA(ctx context.Context, tx *gorm.DB, now time.Time) error {
	if _, err := models.SaveDORASettings(ctx, tx, 1, map[string]any{"enabled": true, "lei": demoLEI("529900", "Rampart Demo Bank AG"),
		"name": "Rampart Demo Bank AG", "country": "DE", "entity_type": "eba_CT:x12", "hierarchy": "eba_RP:x53",
		"competent_authority": "BaFin", "currency": "EUR", "total_assets": int64(4_200_000_000), "branches": demoBranches}); err != nil {
		return err
	}
	var vendors []models.Vendor
	if err := tx.Order("name").Find(&vendors).Error; err != nil {
		return err
	}
	countries := []string{"DE", "IE", "NL", "FR", "US", "LU"}
	category := map[string]string{}
	for i, v := range vendors {
		category[v.ID] = v.Category
		if err := tx.Model(&models.Vendor{}).Where("id = ?", v.ID).Updates(map[string]any{"lei": demoLEI("984500", v.Name),
			"dora_country": countries[i%len(countries)], "dora_person_type": "eba_CT:x212"}).Error; err != nil {
			return err
		}
	}
	var contracts []models.Contract
	if err := tx.Where("type = 'msa' AND archived_at IS NULL AND status IN ('signed', 'expired')").Order("effective_date, id").Find(&contracts).Error; err != nil {
		return err
	}
	if err := demoSubcontracting(ctx, tx, contracts, vendors); err != nil {
		return err
	}
	today := now.UTC()
	for i, c := range contracts {
		chain, err := models.SupplyChain(ctx, tx, c.VendorID, models.MaxChainRank)
		if err != nil {
			return err
		}
		f := demoFunctions[i%len(demoFunctions)]
		if len(chain) > 0 {
			// A fully identified chain supports payments, so the register
			// shows subcontracting ranks.
			f = demoFunctions[0]
		}
		for _, l := range chain {
			if l.VendorID == nil {
				f = demoFunctions[2]
				break
			}
		}
		subst, reason := "eba_ZZ:x961", ""
		if i%4 == 0 {
			subst, reason = "eba_ZZ:x960", "eba_ZZ:x964"
		}
		set := map[string]any{
			"dora_in_scope": true, "dora_reference": fmt.Sprintf("ICT-%d-%03d", today.Year(), i+1), "dora_governing_law": "DE",
			"dora_provider_notice_days": int64(90), "dora_ict_service_type": demoICTService[category[c.VendorID]],
			"dora_function_id": f.id, "dora_function_name": f.name, "dora_licensed_activity": f.activity, "dora_criticality": f.criticality,
			"dora_criticality_reason": "", "dora_criticality_assessed_on": today.AddDate(0, -2, 0).Format(time.DateOnly),
			"dora_rto_hours": f.rto, "dora_rpo_hours": f.rpo, "dora_function_impact": f.impact,
			"dora_stores_data": "eba_BT:x28", "dora_storage_location": []string{"DE", "IE"}[i%2], "dora_processing_location": []string{"DE", "IE", "NL"}[i%3],
			"dora_data_sensitiveness": []string{"eba_ZZ:x793", "eba_ZZ:x792"}[i%2], "dora_reliance": []string{"eba_ZZ:x797", "eba_ZZ:x796"}[i%2],
			"dora_substitutability": subst, "dora_substitution_reason": reason,
			"dora_last_audit": today.AddDate(0, -(3 + i%9), 0).Format(time.DateOnly), "dora_exit_plan": "eba_BT:x28",
			"dora_reintegration": []string{"eba_ZZ:x966", "eba_ZZ:x798"}[i%2], "dora_discontinuing_impact": f.impact,
			"dora_alternatives": "eba_BT:x28", "dora_alternative_providers": "Two alternative providers shortlisted in the exit plan",
		}
		if f.criticality == "eba_BT:x28" {
			set["dora_criticality_reason"] = "Its disruption would materially impair the continuity of the bank's services to customers"
		}
		if err := tx.Model(&models.Contract{}).Where("id = ?", c.ID).Updates(set).Error; err != nil {
			return err
		}
	}
	return nil
}

// demoSubcontracting gives the first contracted vendor without
// subprocessors a cloud provider of the register as its subprocessor (one
// without subprocessors of its own), so the register shows a rank-2 link
// that is fully identified.
func demoSubcontracting(ctx context.Context, tx *gorm.DB, contracts []models.Contract, vendors []models.Vendor) error {
	var withSubs []string
	if err := tx.Model(&models.VendorSubprocessor{}).Distinct("vendor_id").Pluck("vendor_id", &withSubs).Error; err != nil {
		return err
	}
	has := map[string]bool{}
	for _, id := range withSubs {
		has[id] = true
	}
	var client string
	for _, c := range contracts {
		if !has[c.VendorID] {
			client = c.VendorID
			break
		}
	}
	for _, v := range vendors {
		if client == "" || v.ID == client || has[v.ID] || v.Category != "cloud_infrastructure" {
			continue
		}
		return tx.WithContext(ctx).Create(&models.VendorSubprocessor{VendorID: client, Position: 1, LinkedVendorID: &v.ID, Name: v.Name,
			Purpose: "infrastructure hosting", DataTypes: models.StringList{"customer_data"}, Locations: models.StringList{"Germany"}}).Error
	}
	return nil
}
