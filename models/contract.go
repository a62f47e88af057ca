package models

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Contract is an agreement with a vendor.
type Contract struct {
	Base
	// UnitIDs, when set on create, are its business units; nil takes
	// the vendor's. Not loaded by reads (see UnitIDsOf).
	UnitIDs           []string `gorm:"-" json:"-"`
	VendorID          string   `gorm:"not null"`
	ParentID          *string  ``
	Title             string   `gorm:"not null"`
	Type              string   `gorm:"not null"`
	Status            string   `gorm:"not null"`
	EffectiveDate     string   `gorm:"not null;default:''"`
	InitialTermMonths int64    `gorm:"not null;default:0"`
	EndDate           string   `gorm:"not null;default:''"`
	AutoRenewal       bool     `gorm:"not null"`
	// RenewalUnknown is true while nobody (nor the document) has said
	// whether the contract renews: AutoRenewal false then means unknown.
	// Its zero value keeps contracts made directly as they always were.
	RenewalUnknown    bool       `gorm:"not null;default:false"`
	RenewalTermMonths int64      `gorm:"not null;default:0"`
	NoticePeriod      int64      `gorm:"not null;default:0"`
	NoticeUnit        string     `gorm:"not null;default:'days'"`
	CurrentTermEnd    string     `gorm:"not null;default:''"`
	CancelBy          string     `gorm:"not null;default:''"`
	Value             int64      `gorm:"not null;default:0"`
	Currency          string     `gorm:"not null;default:''"`
	OwnerID           *string    ``
	ArchivedAt        *time.Time ``
	ReviewStatus      string     `gorm:"not null;default:'none'"`
	SignedOffBy       *string    ``
	SignedOffAt       *time.Time ``
	Urgency           string     `gorm:"not null;default:'9999-12-31'"`
	Version           int64      `gorm:"not null;default:1"`
	// DORA is the contract as an ICT arrangement of the DORA register.
	DORA ContractDORA `gorm:"embedded;embeddedPrefix:dora_"`
	// CustomFields are the admin-defined fields' values (see Vendor).
	CustomFields CustomValues `gorm:"-"`
}

// NoDate is the urgency of a contract with neither a cancel-by date nor a
// term end: it sorts after every real date.
const NoDate = "9999-12-31"

// SetUrgency derives the date the legal queue and the list sort by.
func (c *Contract) SetUrgency() {
	switch {
	case c.CancelBy != "":
		c.Urgency = c.CancelBy
	case c.CurrentTermEnd != "":
		c.Urgency = c.CurrentTermEnd
	default:
		c.Urgency = NoDate
	}
}

// CreateContract stores a contract.
func CreateContract(ctx context.Context, db *gorm.DB, c *Contract) error {
	if c.Version == 0 {
		c.Version = 1
	}
	c.SetUrgency()
	if err := db.WithContext(ctx).Create(c).Error; err != nil {
		return err
	}
	return setNewUnits(ctx, db, UnitContract, c.ID, c.VendorID, c.UnitIDs)
}

// GetContract returns one contract.
func GetContract(ctx context.Context, db *gorm.DB, id string) (*Contract, error) {
	var c Contract
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&c).Error; err != nil {
		return nil, translate(err)
	}
	vals, err := LoadCustomValues(ctx, db, "contract", []string{id})
	if err != nil {
		return nil, err
	}
	c.CustomFields = customValuesOf(vals, id)
	return &c, nil
}

// UpdateContract applies set if the contract is still at version.
func UpdateContract(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*Contract, error) {
	row, err := updateVersioned[Contract](ctx, db, id, version, set, true)
	if row != nil {
		vals, lerr := LoadCustomValues(ctx, db, "contract", []string{id})
		if lerr != nil {
			return nil, lerr
		}
		row.CustomFields = customValuesOf(vals, id)
	}
	return row, err
}

// ContractFilter selects contracts.
type ContractFilter struct {
	VendorID string
	Statuses []string
	// ReviewStatuses keeps contracts in these review states (none, pending, signed_off).
	ReviewStatuses []string
	// AwaitingReview is the legal queue: a pending review, or a contract in
	// legal review whose terms are not signed off.
	AwaitingReview bool
	Types          []string
	Q              string
	// CancelByBefore keeps contracts whose cancel-by date is on or before it.
	CancelByBefore string
	Custom         []CustomFilter
	CustomSort     *CustomSort
	Sort           string
	Cursor         string
	Limit          int
}

// ContractSorts are the columns the contract list sorts by.
var ContractSorts = map[string]SortColumn{
	"title":            {Column: "title", Kind: SortText},
	"cancel_by":        {Column: "cancel_by", Kind: SortText},
	"current_term_end": {Column: "current_term_end", Kind: SortText},
	"created_at":       {Column: "created_at", Kind: SortTime},
	"status":           {Column: "status", Kind: SortText},
	"urgency":          {Column: "urgency", Kind: SortText},
}

// ListContracts returns one page of current contracts.
func ListContracts(ctx context.Context, db *gorm.DB, f ContractFilter) (Page[Contract], error) {
	q := db.WithContext(ctx).Model(&Contract{}).Where("archived_at IS NULL")
	if f.VendorID != "" {
		q = q.Where("vendor_id = ?", f.VendorID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if len(f.Types) > 0 {
		q = q.Where("type IN ?", f.Types)
	}
	if len(f.ReviewStatuses) > 0 {
		q = q.Where("review_status IN ?", f.ReviewStatuses)
	}
	if f.AwaitingReview {
		q = q.Where("(review_status = 'pending' OR (status = 'legal_review' AND review_status <> 'signed_off'))")
	}
	if f.Q != "" {
		// The title, or the text of the contract's latest document.
		like := "%" + escapeLike(strings.ToLower(f.Q)) + "%"
		q = q.Where("(LOWER(title) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM contract_documents d WHERE d.contract_id = contracts.id"+
			" AND d.number = (SELECT MAX(number) FROM contract_documents m WHERE m.contract_id = contracts.id) AND LOWER(d.text) LIKE ? ESCAPE '\\'))", like, like)
	}
	if f.CancelByBefore != "" {
		q = q.Where("cancel_by <> '' AND cancel_by <= ?", f.CancelByBefore)
	}
	q = whereCustom(q, "contracts", f.Custom)
	sorts, err := sortsWith(ContractSorts, "contracts", strings.TrimPrefix(f.Sort, "-"), f.CustomSort)
	if err != nil {
		return Page[Contract]{}, err
	}
	page, err := paginate[Contract](q, sorts, f.Sort, "urgency", f.Cursor, f.Limit)
	if err != nil {
		return page, err
	}
	return page, withCustomValues(ctx, db, "contract", page.Items, func(c *Contract) (string, *CustomValues) { return c.ID, &c.CustomFields })
}

// ContractsDue lists current contracts whose term end or cancel-by date
// falls within [from, to].
func ContractsDue(ctx context.Context, db *gorm.DB, from, to string) ([]Contract, error) {
	var out []Contract
	err := db.WithContext(ctx).Where("archived_at IS NULL AND status NOT IN ?", []string{"expired", "terminated"}).
		Where("((cancel_by >= ? AND cancel_by <= ?) OR (current_term_end >= ? AND current_term_end <= ?))", from, to, from, to).
		Order("cancel_by").Limit(2000).Find(&out).Error
	return out, err
}

// Deadline is one dated obligation for the calendar.
type Deadline struct {
	Date, Kind, Title, ObjectType, ObjectID, VendorID, VendorName string
}

// Deadlines gathers the deadlines in [from, to], oldest first.
func Deadlines(ctx context.Context, db *gorm.DB, from, to string) ([]Deadline, error) {
	var out []Deadline
	cs, err := ContractsDue(ctx, db, from, to)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.CancelBy >= from && c.CancelBy <= to {
			out = append(out, Deadline{c.CancelBy, "cancel_by", "Cancel-by: " + c.Title, "contract", c.ID, c.VendorID, ""})
		}
		if c.CurrentTermEnd >= from && c.CurrentTermEnd <= to {
			out = append(out, Deadline{c.CurrentTermEnd, "term_end", "Term ends: " + c.Title, "contract", c.ID, c.VendorID, ""})
		}
	}
	var vs []Vendor
	if err := db.WithContext(ctx).Select("id", "name", "next_review_on").Where("archived_at IS NULL AND next_review_on >= ? AND next_review_on <= ?", from, to).
		Order("next_review_on").Limit(2000).Find(&vs).Error; err != nil {
		return nil, err
	}
	for _, v := range vs {
		out = append(out, Deadline{v.NextReviewOn, "review_due", "Reassessment due: " + v.Name, "vendor", v.ID, v.ID, v.Name})
	}
	var fs []Finding
	if err := db.WithContext(ctx).Where("status IN ? AND due_date >= ? AND due_date <= ?", []string{"open", "in_progress"}, from, to).
		Order("due_date").Limit(2000).Find(&fs).Error; err != nil {
		return nil, err
	}
	for _, f := range fs {
		out = append(out, Deadline{f.DueDate, "finding_due", "Finding due: " + f.Title, "finding", f.ID, f.VendorID, ""})
	}
	// Many vendors have a "Master services agreement": the title names the
	// vendor too (one query for every name).
	ids := make([]string, 0, len(out))
	for _, d := range out {
		if d.VendorName == "" {
			ids = append(ids, d.VendorID)
		}
	}
	names, err := VendorNames(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].VendorName == "" {
			out[i].VendorName = names[out[i].VendorID]
			if out[i].VendorName != "" {
				out[i].Title += " (" + out[i].VendorName + ")"
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Deadline) int { return strings.Compare(a.Date, b.Date) })
	return out, nil
}

// CalendarFeed is a user's secret iCalendar URL.
type CalendarFeed struct {
	Base
	UserID    string     `gorm:"not null"`
	TokenHash string     `gorm:"not null"`
	RevokedAt *time.Time ``
}

// ReplaceCalendarFeed revokes a user's feeds and stores a new one.
func ReplaceCalendarFeed(ctx context.Context, db *gorm.DB, userID, hash string) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := RevokeCalendarFeeds(ctx, tx, userID); err != nil {
			return err
		}
		return tx.Create(&CalendarFeed{UserID: userID, TokenHash: hash}).Error
	})
}

// RevokeCalendarFeeds stops every feed URL of a user.
func RevokeCalendarFeeds(ctx context.Context, db *gorm.DB, userID string) error {
	now := time.Now().UTC()
	return db.WithContext(ctx).Model(&CalendarFeed{}).Where("user_id = ? AND revoked_at IS NULL", userID).
		Updates(map[string]any{"revoked_at": now, "updated_at": now}).Error
}

// ActiveCalendarFeed returns the user's live feed, ErrNotFound when none.
func ActiveCalendarFeed(ctx context.Context, db *gorm.DB, userID string) (*CalendarFeed, error) {
	var f CalendarFeed
	if err := db.WithContext(ctx).Where("user_id = ? AND revoked_at IS NULL", userID).Order("created_at DESC").Take(&f).Error; err != nil {
		return nil, translate(err)
	}
	return &f, nil
}

// CalendarFeedUser returns the user behind a live feed token hash.
func CalendarFeedUser(ctx context.Context, db *gorm.DB, hash string) (*User, error) {
	var f CalendarFeed
	if err := db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL", hash).Take(&f).Error; err != nil {
		return nil, translate(err)
	}
	return UserByID(ctx, db, f.UserID)
}
