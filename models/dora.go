package models

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// DORASettings is our own financial entity as the DORA register of
// information names it (template B_01.01), one row like the security
// policy. Enabled shows the register's fields in the web app.
type DORASettings struct {
	Base
	Enabled            bool   `gorm:"not null;default:false"`
	LEI                string `gorm:"column:lei;not null;default:''"`
	Name               string `gorm:"not null;default:''"`
	Country            string `gorm:"not null;default:''"`
	EntityType         string `gorm:"not null;default:''"`
	Hierarchy          string `gorm:"not null;default:''"`
	ParentLEI          string `gorm:"column:parent_lei;not null;default:''"`
	CompetentAuthority string `gorm:"not null;default:''"`
	Currency           string `gorm:"not null;default:''"`
	TotalAssets        int64  `gorm:"not null;default:0"`
	// Branches is a JSON array of DORABranch (B_01.03); BranchList reads it.
	Branches string `gorm:"not null;default:'[]'"`
	Version  int64  `gorm:"not null;default:1"`
}

// DORABranch is a branch of our entity (B_01.03); its head office is our
// entity, so its LEI is the settings' LEI.
type DORABranch struct {
	// Code is the branch's identification code, unique among our branches
	// (B_01.03 c0010, B_04.01 c0040).
	Code    string `json:"code"`
	Name    string `json:"name"`
	Country string `json:"country"`
}

// BranchList is the settings' branches; a malformed column reads as none,
// since only SaveDORASettings writes it, from checked values.
func (s *DORASettings) BranchList() []DORABranch {
	var out []DORABranch
	if err := json.Unmarshal([]byte(s.Branches), &out); err != nil || out == nil {
		return []DORABranch{}
	}
	return out
}

// TableName keeps the plural-free name of the one-row table.
func (DORASettings) TableName() string { return "dora_settings" }

// VendorDORA is what the register says of a vendor as an ICT third-party
// service provider (template B_05.01), besides its LEI and legal name.
type VendorDORA struct {
	// Country is the ISO 3166-1 alpha-2 code of its headquarters.
	Country    string `gorm:"not null;default:''"`
	PersonType string `gorm:"not null;default:''"`
	// ParentLEI is its ultimate parent undertaking's LEI; "" when the
	// vendor is its own ultimate parent.
	ParentLEI string `gorm:"column:parent_lei;not null;default:''"`
	// IntraGroup marks an ICT intra-group service provider (B_03.03).
	IntraGroup bool `gorm:"not null;default:false"`
}

// ContractDORA is a contract as an ICT arrangement of the register: the
// arrangement (B_02.01/02.02), the ICT service it delivers, the function
// that service supports (B_06.01) and its assessment (B_07.01). Closed sets
// hold the ESAs' codes; "" is "not recorded".
type ContractDORA struct {
	InScope              bool   `gorm:"not null;default:false"`
	Reference            string `gorm:"not null;default:''"`
	GoverningLaw         string `gorm:"not null;default:''"`
	ProviderNoticeDays   int64  `gorm:"not null;default:0"`
	TerminationReason    string `gorm:"not null;default:''"`
	ICTServiceType       string `gorm:"column:ict_service_type;not null;default:''"`
	FunctionID           string `gorm:"column:function_id;not null;default:''"`
	FunctionName         string `gorm:"not null;default:''"`
	LicensedActivity     string `gorm:"not null;default:''"`
	Criticality          string `gorm:"not null;default:''"`
	CriticalityReason    string `gorm:"not null;default:''"`
	CriticalityAssessed  string `gorm:"column:criticality_assessed_on;not null;default:''"`
	RTOHours             int64  `gorm:"column:rto_hours;not null;default:0"`
	RPOHours             int64  `gorm:"column:rpo_hours;not null;default:0"`
	FunctionImpact       string `gorm:"not null;default:''"`
	StoresData           string `gorm:"not null;default:''"`
	StorageLocation      string `gorm:"not null;default:''"`
	ProcessingLocation   string `gorm:"not null;default:''"`
	DataSensitiveness    string `gorm:"not null;default:''"`
	Reliance             string `gorm:"not null;default:''"`
	Substitutability     string `gorm:"not null;default:''"`
	SubstitutionReason   string `gorm:"not null;default:''"`
	LastAudit            string `gorm:"not null;default:''"`
	ExitPlan             string `gorm:"not null;default:''"`
	Reintegration        string `gorm:"not null;default:''"`
	DiscontinuingImpact  string `gorm:"not null;default:''"`
	Alternatives         string `gorm:"not null;default:''"`
	AlternativeProviders string `gorm:"not null;default:''"`
}

const doraSettingsID = "dora-settings"

// GetDORASettings returns our entity's register settings; before any save
// they are empty at version 1.
func GetDORASettings(ctx context.Context, db *gorm.DB) (*DORASettings, error) {
	var s DORASettings
	if err := db.WithContext(ctx).Where("id = ?", doraSettingsID).Limit(1).Find(&s).Error; err != nil {
		return nil, err
	}
	if s.ID == "" {
		return &DORASettings{Base: Base{ID: doraSettingsID}, Branches: "[]", Version: 1}, nil
	}
	return &s, nil
}

// SaveDORASettings stores set if the settings are still at version;
// otherwise ErrConflict with the stored settings.
func SaveDORASettings(ctx context.Context, db *gorm.DB, version int64, set map[string]any) (*DORASettings, error) {
	db = db.WithContext(ctx)
	now := time.Now().UTC()
	// The row appears on first save; a concurrent first save loses on the
	// primary key and is a conflict like any other.
	if err := db.Exec(`INSERT INTO dora_settings (id, version, created_at, updated_at) VALUES (?, 1, ?, ?) ON CONFLICT (id) DO NOTHING`,
		doraSettingsID, now, now).Error; err != nil {
		return nil, err
	}
	return updateVersioned[DORASettings](ctx, db, doraSettingsID, version, set, true)
}

// UpdateVendorFields applies set to a vendor still at version (its
// version moves on); ErrConflict with the stored vendor otherwise.
func UpdateVendorFields(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*Vendor, error) {
	return updateVersioned[Vendor](ctx, db, id, version, set, true)
}

// DORARegisterData is what the register is built from.
type DORARegisterData struct {
	Settings *DORASettings
	// Contracts are the current contracts marked in scope, by reference.
	Contracts []Contract
	// Vendors holds the contracts' vendors and every vendor of the register
	// met in their supply chains, by id.
	Vendors map[string]Vendor
	// Chains holds each contracted vendor's supply chain (ranks 2 and on).
	Chains map[string][]ChainLink
}

// LoadDORARegister reads the register's records: the settings, the
// contracts in scope (archived ones left out), their vendors and the
// vendors' subcontracting chains.
func LoadDORARegister(ctx context.Context, db *gorm.DB) (*DORARegisterData, error) {
	db = db.WithContext(ctx)
	st, err := GetDORASettings(ctx, db)
	if err != nil {
		return nil, err
	}
	out := &DORARegisterData{Settings: st, Vendors: map[string]Vendor{}, Chains: map[string][]ChainLink{}}
	if err := db.Where("dora_in_scope AND archived_at IS NULL").Order("dora_reference, id").Find(&out.Contracts).Error; err != nil {
		return nil, err
	}
	ids := []string{}
	seen := map[string]bool{}
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, c := range out.Contracts {
		if _, ok := out.Chains[c.VendorID]; ok {
			continue
		}
		chain, err := SupplyChain(ctx, db, c.VendorID, MaxChainRank)
		if err != nil {
			return nil, err
		}
		out.Chains[c.VendorID] = chain
		add(c.VendorID)
		for _, l := range chain {
			if l.VendorID != nil {
				add(*l.VendorID)
			}
		}
	}
	if len(ids) > 0 {
		var vs []Vendor
		if err := db.Where("id IN ?", ids).Find(&vs).Error; err != nil {
			return nil, err
		}
		for _, v := range vs {
			out.Vendors[v.ID] = v
		}
	}
	return out, nil
}
