package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// ContractDocument is one uploaded version of a contract's text.
type ContractDocument struct {
	Base
	ContractID  string `gorm:"not null"`
	Number      int64  `gorm:"not null"`
	Filename    string `gorm:"not null"`
	ContentType string `gorm:"not null"`
	Format      string `gorm:"not null"`
	Size        int64  `gorm:"not null"`
	Sha256      string `gorm:"not null"`
	StorageKey  string `gorm:"not null"`
	Pages       int64  `gorm:"not null;default:0"`
	PageStarts  string `gorm:"not null;default:'[]'"`
	Text        string `gorm:"not null;default:''"`
	NeedsOCR    bool   `gorm:"column:needs_ocr;not null"`
	UploadedBy  string `gorm:"not null"`
}

// ContractTerm is one key term of a contract: what extraction proposed
// and what the legal reviewer confirmed or corrected.
type ContractTerm struct {
	Base
	ContractID     string     `gorm:"not null"`
	DocumentID     *string    ``
	TermKey        string     `gorm:"not null"`
	Found          bool       `gorm:"not null"`
	Value          string     `gorm:"not null;default:''"`
	Normalized     string     `gorm:"not null;default:'null'"`
	Confidence     float64    `gorm:"not null;default:0"`
	Evidence       string     `gorm:"not null;default:'[]'"`
	Conflicts      string     `gorm:"not null;default:'[]'"`
	ExtractedFound bool       `gorm:"not null"`
	ExtractedValue string     `gorm:"not null;default:''"`
	ReviewState    string     `gorm:"not null;default:'proposed'"`
	ReviewedBy     *string    ``
	ReviewedAt     *time.Time ``
	Note           string     `gorm:"not null;default:''"`
	FindingID      *string    ``
	Version        int64      `gorm:"not null;default:1"`
}

// ContractComment is one remark in a contract's review thread.
type ContractComment struct {
	Base
	ContractID string `gorm:"not null"`
	AuthorID   string `gorm:"not null"`
	Body       string `gorm:"not null"`
}

// Playbook is one version of the clause playbook.
type Playbook struct {
	Base
	Version   int64   `gorm:"not null"`
	Content   string  `gorm:"not null"`
	Note      string  `gorm:"not null;default:''"`
	CreatedBy *string ``
}

// ContractDocuments lists a contract's documents, newest first, without
// their text.
func ContractDocuments(ctx context.Context, db *gorm.DB, contractID string) ([]ContractDocument, error) {
	out := []ContractDocument{}
	err := db.WithContext(ctx).Omit("text").Where("contract_id = ?", contractID).Order("number DESC").Find(&out).Error
	return out, err
}

// GetContractDocument returns one document of a contract, with its text.
func GetContractDocument(ctx context.Context, db *gorm.DB, contractID, id string) (*ContractDocument, error) {
	var d ContractDocument
	if err := db.WithContext(ctx).Where("contract_id = ? AND id = ?", contractID, id).Take(&d).Error; err != nil {
		return nil, translate(err)
	}
	return &d, nil
}

// AddContractDocument stores the next document version of a contract.
// The (contract_id, number) unique index turns a concurrent upload into a
// conflict instead of two documents with one number.
func AddContractDocument(ctx context.Context, db *gorm.DB, d *ContractDocument) error {
	var n int64
	if err := db.WithContext(ctx).Model(&ContractDocument{}).Where("contract_id = ?", d.ContractID).
		Select("COALESCE(MAX(number), 0)").Scan(&n).Error; err != nil {
		return err
	}
	d.Number = n + 1
	return translate(db.WithContext(ctx).Create(d).Error)
}

// ContractTerms returns a contract's terms keyed by term key.
func ContractTerms(ctx context.Context, db *gorm.DB, contractID string) (map[string]ContractTerm, error) {
	var ts []ContractTerm
	if err := db.WithContext(ctx).Where("contract_id = ?", contractID).Find(&ts).Error; err != nil {
		return nil, err
	}
	out := make(map[string]ContractTerm, len(ts))
	for _, t := range ts {
		out[t.TermKey] = t
	}
	return out, nil
}

// TermsOfContracts returns the terms of several contracts in one query,
// keyed by contract id.
func TermsOfContracts(ctx context.Context, db *gorm.DB, ids []string) (map[string][]ContractTerm, error) {
	out := map[string][]ContractTerm{}
	if len(ids) == 0 {
		return out, nil
	}
	var ts []ContractTerm
	if err := db.WithContext(ctx).Where("contract_id IN ?", ids).Find(&ts).Error; err != nil {
		return nil, err
	}
	for _, t := range ts {
		out[t.ContractID] = append(out[t.ContractID], t)
	}
	return out, nil
}

// SaveContractTerm inserts a term or replaces the stored one with the same
// key.
func SaveContractTerm(ctx context.Context, db *gorm.DB, t *ContractTerm) error {
	if t.ID == "" {
		return db.WithContext(ctx).Create(t).Error
	}
	return db.WithContext(ctx).Save(t).Error
}

// UpdateContractTerm applies set to a term if it is still at version.
func UpdateContractTerm(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*ContractTerm, error) {
	return updateVersioned[ContractTerm](ctx, db, id, version, set, true)
}

// ContractComments lists a contract's comments, oldest first.
func ContractComments(ctx context.Context, db *gorm.DB, contractID string) ([]ContractComment, error) {
	out := []ContractComment{}
	err := db.WithContext(ctx).Where("contract_id = ?", contractID).Order("created_at, id").Limit(1000).Find(&out).Error
	return out, err
}

// AddContractComment stores a comment.
func AddContractComment(ctx context.Context, db *gorm.DB, c *ContractComment) error {
	return db.WithContext(ctx).Create(c).Error
}

// CurrentPlaybook returns the newest playbook version, or ErrNotFound when
// none has been saved (the built-in default is then in force).
func CurrentPlaybook(ctx context.Context, db *gorm.DB) (*Playbook, error) {
	var p Playbook
	if err := db.WithContext(ctx).Order("version DESC").Take(&p).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// SavePlaybook stores the next playbook version if the newest one is still
// version; a concurrent save loses with ErrConflict.
func SavePlaybook(ctx context.Context, db *gorm.DB, version int64, p *Playbook) error {
	var n int64
	if err := db.WithContext(ctx).Model(&Playbook{}).Select("COALESCE(MAX(version), 0)").Scan(&n).Error; err != nil {
		return err
	}
	if n != version {
		return ErrConflict
	}
	p.Version = n + 1
	return translate(db.WithContext(ctx).Create(p).Error)
}
