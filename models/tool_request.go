package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ToolRequest is a department head's request for a new tool or vendor.
type ToolRequest struct {
	Base
	Title              string     `gorm:"not null"`
	VendorName         string     `gorm:"not null"`
	VendorWebsite      string     `gorm:"not null;default:''"`
	Purpose            string     `gorm:"not null"`
	Departments        StringList `gorm:"type:text;not null"`
	UserCount          int64      `gorm:"not null;default:0"`
	DataTypes          StringList `gorm:"type:text;not null"`
	IntegrationMethods StringList `gorm:"type:text;not null"`
	AnnualCost         int64      `gorm:"not null;default:0"`
	Currency           string     `gorm:"not null;default:''"`
	NeededBy           string     `gorm:"not null;default:''"`
	Alternatives       string     `gorm:"not null;default:''"`
	Status             string     `gorm:"not null"`
	RequesterID        string     `gorm:"not null"`
	AssigneeID         *string    ``
	VendorID           *string    ``
	Conditions         string     `gorm:"not null;default:''"`
	DecidedByID        *string    ``
	DecidedAt          *time.Time ``
	SearchText         string     `gorm:"not null;default:''"`
	Version            int64      `gorm:"not null;default:1"`
}

// TableName keeps the table name explicit (GORM would say tool_requests too).
func (ToolRequest) TableName() string { return "tool_requests" }

// ToolRequestEvent is one entry of a request's timeline.
type ToolRequestEvent struct {
	Base
	RequestID  string `gorm:"not null"`
	ActorID    string `gorm:"not null"`
	Kind       string `gorm:"not null"`
	FromStatus string `gorm:"not null;default:''"`
	ToStatus   string `gorm:"not null;default:''"`
	Body       string `gorm:"not null;default:''"`
}

// RequestRecord is a request with the people and vendor it names.
type RequestRecord struct {
	ToolRequest
	Requester *User
	Assignee  *User
	DecidedBy *User
	Vendor    *Vendor
}

func requestSearchText(r *ToolRequest) string {
	return strings.ToLower(strings.Join([]string{r.Title, r.VendorName, r.VendorWebsite, r.Purpose}, "\n"))
}

// CreateToolRequest inserts a request and its "created" timeline entry.
func CreateToolRequest(ctx context.Context, db *gorm.DB, r *ToolRequest) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r.SearchText = requestSearchText(r)
		if r.Version == 0 {
			r.Version = 1
		}
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		ev := &ToolRequestEvent{RequestID: r.ID, ActorID: r.RequesterID, Kind: "created", ToStatus: r.Status}
		ev.CreatedAt = r.CreatedAt // the request's own time (set when importing history)
		return tx.Create(ev).Error
	})
}

// AddRequestEvent appends to a request's timeline.
func AddRequestEvent(ctx context.Context, db *gorm.DB, e *ToolRequestEvent) error {
	return db.WithContext(ctx).Create(e).Error
}

// RequestScope limits which requests a caller sees: RequesterID set means
// only that user's own requests.
type RequestScope struct {
	RequesterID string
}

func (s RequestScope) apply(q *gorm.DB) *gorm.DB {
	if s.RequesterID != "" {
		q = q.Where("requester_id = ?", s.RequesterID)
	}
	return q
}

// GetToolRequest returns a request the scope may see (else ErrNotFound).
func GetToolRequest(ctx context.Context, db *gorm.DB, scope RequestScope, id string) (*RequestRecord, error) {
	var r ToolRequest
	if err := scope.apply(db.WithContext(ctx).Where("id = ?", id)).Take(&r).Error; err != nil {
		return nil, translate(err)
	}
	recs, err := loadRequestRefs(db.WithContext(ctx), []ToolRequest{r})
	if err != nil {
		return nil, err
	}
	return &recs[0], nil
}

// RequestTimeline returns a request's events, oldest first, with actors.
func RequestTimeline(ctx context.Context, db *gorm.DB, id string) ([]ToolRequestEvent, map[string]*User, error) {
	var events []ToolRequestEvent
	if err := db.WithContext(ctx).Where("request_id = ?", id).Order("created_at, id").Limit(1000).Find(&events).Error; err != nil {
		return nil, nil, err
	}
	ids := make([]string, 0, len(events))
	for _, e := range events {
		ids = append(ids, e.ActorID)
	}
	users, err := usersByID(db.WithContext(ctx), ids)
	return events, users, err
}

func usersByID(db *gorm.DB, ids []string) (map[string]*User, error) {
	out := map[string]*User{}
	if len(ids) == 0 {
		return out, nil
	}
	var us []User
	if err := db.Where("id IN ?", ids).Find(&us).Error; err != nil {
		return nil, err
	}
	for i := range us {
		out[us[i].ID] = &us[i]
	}
	return out, nil
}

// loadRequestRefs fills the people and vendors of a page of requests in
// two queries.
func loadRequestRefs(db *gorm.DB, rs []ToolRequest) ([]RequestRecord, error) {
	out := make([]RequestRecord, len(rs))
	var userIDs, vendorIDs []string
	for i, r := range rs {
		out[i] = RequestRecord{ToolRequest: r}
		userIDs = append(userIDs, r.RequesterID)
		for _, id := range []*string{r.AssigneeID, r.DecidedByID} {
			if id != nil {
				userIDs = append(userIDs, *id)
			}
		}
		if r.VendorID != nil {
			vendorIDs = append(vendorIDs, *r.VendorID)
		}
	}
	users, err := usersByID(db, userIDs)
	if err != nil {
		return nil, err
	}
	vendors := map[string]*Vendor{}
	if len(vendorIDs) > 0 {
		var vs []Vendor
		if err := db.Select("id", "name", "status", "archived_at").Where("id IN ?", vendorIDs).Find(&vs).Error; err != nil {
			return nil, err
		}
		for i := range vs {
			vendors[vs[i].ID] = &vs[i]
		}
	}
	for i := range out {
		r := &out[i]
		r.Requester = users[r.RequesterID]
		if r.AssigneeID != nil {
			r.Assignee = users[*r.AssigneeID]
		}
		if r.DecidedByID != nil {
			r.DecidedBy = users[*r.DecidedByID]
		}
		if r.VendorID != nil {
			r.Vendor = vendors[*r.VendorID]
		}
	}
	return out, nil
}

// UpdateToolRequest applies set if the request is still at version and
// refreshes its search text; a stale version is ErrConflict.
func UpdateToolRequest(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*ToolRequest, error) {
	r, err := updateVersioned[ToolRequest](ctx, db, id, version, set, true)
	if err != nil {
		return r, err
	}
	if err := db.WithContext(ctx).Model(&ToolRequest{}).Where("id = ?", id).Update("search_text", requestSearchText(r)).Error; err != nil {
		return nil, err
	}
	return r, nil
}

// RequestFilter selects requests within a scope.
type RequestFilter struct {
	Scope      RequestScope
	Q          string
	Statuses   []string
	AssigneeID string
	Unassigned bool
	Sort       string
	Cursor     string
	Limit      int
}

// RequestSorts are the columns the request list sorts by.
var RequestSorts = map[string]SortColumn{
	"created_at": {Column: "created_at", Kind: SortTime},
	"updated_at": {Column: "updated_at", Kind: SortTime},
	"needed_by":  {Column: "needed_by", Kind: SortText},
	"status":     {Column: "status", Kind: SortText},
	"title":      {Column: "title", Kind: SortText},
}

func requestQuery(db *gorm.DB, f RequestFilter) *gorm.DB {
	q := f.Scope.apply(db.Model(&ToolRequest{}))
	if f.Q != "" {
		q = q.Where("search_text LIKE ? ESCAPE '\\'", "%"+escapeLike(strings.ToLower(f.Q))+"%")
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.AssigneeID != "" {
		q = q.Where("assignee_id = ?", f.AssigneeID)
	}
	if f.Unassigned {
		q = q.Where("assignee_id IS NULL")
	}
	return q
}

// ListToolRequests returns one page of requests the scope may see.
func ListToolRequests(ctx context.Context, db *gorm.DB, f RequestFilter) (Page[RequestRecord], error) {
	db = db.WithContext(ctx)
	page, err := paginate[ToolRequest](requestQuery(db, f), RequestSorts, f.Sort, "-created_at", f.Cursor, f.Limit)
	if err != nil {
		return Page[RequestRecord]{}, err
	}
	recs, err := loadRequestRefs(db, page.Items)
	if err != nil {
		return Page[RequestRecord]{}, err
	}
	return withItems(page, recs), nil
}

// CountRequestsByStatus counts the requests a filter selects (its status,
// sort and paging ignored), per status.
func CountRequestsByStatus(ctx context.Context, db *gorm.DB, f RequestFilter) (map[string]int64, error) {
	var rows []struct {
		Status string
		N      int64
	}
	f.Statuses = nil
	err := requestQuery(db.WithContext(ctx), f).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, err
}

// RequestAttachment is a file attached to a request.
type RequestAttachment struct {
	Base
	RequestID   string `gorm:"not null"`
	UploadedBy  string `gorm:"not null"`
	Filename    string `gorm:"not null"`
	ContentType string `gorm:"not null"`
	Size        int64  `gorm:"not null"`
	Sha256      string `gorm:"column:sha256;not null"`
	StorageKey  string `gorm:"not null"`
}

// CreateRequestAttachment stores the attachment's record.
func CreateRequestAttachment(ctx context.Context, db *gorm.DB, a *RequestAttachment) error {
	return db.WithContext(ctx).Create(a).Error
}

// RequestAttachments lists a request's attachments, oldest first.
func RequestAttachments(ctx context.Context, db *gorm.DB, requestID string) ([]RequestAttachment, error) {
	out := []RequestAttachment{}
	err := db.WithContext(ctx).Where("request_id = ?", requestID).Order("created_at, id").Limit(MaxLimit).Find(&out).Error
	return out, err
}

// RequestAttachmentByID returns one attachment of the given request.
func RequestAttachmentByID(ctx context.Context, db *gorm.DB, requestID, id string) (*RequestAttachment, error) {
	var a RequestAttachment
	err := db.WithContext(ctx).Where("id = ? AND request_id = ?", id, requestID).Take(&a).Error
	if err != nil {
		return nil, translate(err)
	}
	return &a, nil
}
