package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// QuestionnaireTemplate is one revision of a questionnaire. A published
// revision never changes; editing makes a new draft revision.
type QuestionnaireTemplate struct {
	Base
	Key           string     `gorm:"not null"`
	Name          string     `gorm:"not null"`
	Description   string     `gorm:"not null;default:''"`
	Revision      int64      `gorm:"not null"`
	Status        string     `gorm:"not null"`
	Builtin       bool       `gorm:"not null;default:false"`
	Content       string     `gorm:"not null"`
	QuestionCount int64      `gorm:"not null;default:0"`
	CreatedBy     *string    ``
	PublishedAt   *time.Time ``
	Version       int64      `gorm:"not null;default:1"`
}

// TemplateSource is the file a questionnaire revision was imported from.
type TemplateSource struct {
	Base
	TemplateID  string `gorm:"not null"`
	UploadedBy  string `gorm:"not null"`
	Filename    string `gorm:"not null"`
	ContentType string `gorm:"not null"`
	Format      string `gorm:"not null"`
	Size        int64  `gorm:"not null"`
	Sha256      string `gorm:"column:sha256;not null"`
	StorageKey  string `gorm:"not null"`
}

// GetTemplateSource returns the file a revision was imported from, or nil.
func GetTemplateSource(ctx context.Context, db *gorm.DB, templateID string) (*TemplateSource, error) {
	var out []TemplateSource
	if err := db.WithContext(ctx).Where("template_id = ?", templateID).Limit(1).Find(&out).Error; err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

// Assessment is a questionnaire sent to one vendor.
type Assessment struct {
	Base
	// UnitIDs, when set on create, are its business units; nil takes
	// the vendor's. Not loaded by reads (see UnitIDsOf).
	UnitIDs       []string   `gorm:"-" json:"-"`
	VendorID      string     `gorm:"not null"`
	TemplateID    string     `gorm:"not null"`
	Title         string     `gorm:"not null"`
	Status        string     `gorm:"not null"`
	DueDate       string     `gorm:"not null;default:''"`
	ReviewerID    *string    ``
	ContactName   string     `gorm:"not null;default:''"`
	ContactEmail  string     `gorm:"not null;default:''"`
	PreviousID    *string    ``
	Effectiveness *float64   ``
	Result        string     `gorm:"not null;default:'{}'"`
	SentAt        *time.Time ``
	SubmittedAt   *time.Time ``
	CompletedAt   *time.Time ``
	CreatedBy     *string    ``
	Version       int64      `gorm:"not null;default:1"`
}

// PortalInvitation lets a vendor contact open one assessment without an
// account. Only the SHA-256 of the link's token is stored.
type PortalInvitation struct {
	Base
	AssessmentID string     `gorm:"not null"`
	TokenHash    string     `gorm:"not null"`
	ContactEmail string     `gorm:"not null;default:''"`
	ExpiresAt    time.Time  `gorm:"not null"`
	RevokedAt    *time.Time ``
	LastUsedAt   *time.Time ``
	CreatedBy    *string    ``
	// DelegatedBy is the main invitation whose holder shared Sections of
	// the questionnaire with ContactName; nil on a main invitation, which
	// sees every section.
	DelegatedBy *string ``
	ContactName string  `gorm:"not null;default:''"`
	// Sections is a JSON array of section keys ("" on a main invitation).
	Sections string `gorm:"not null;default:''"`
	Message  string `gorm:"not null;default:''"`
	Version  int64  `gorm:"not null;default:1"`
}

// AssessmentAnswer is the vendor's answer to one question and its review.
type AssessmentAnswer struct {
	Base
	AssessmentID  string     `gorm:"not null"`
	QuestionKey   string     `gorm:"not null"`
	Value         string     `gorm:"not null;default:'null'"`
	Comment       string     `gorm:"not null;default:''"`
	PreviousValue *string    ``
	ReviewStatus  string     `gorm:"not null;default:''"`
	ReviewComment string     `gorm:"not null;default:''"`
	ReviewedBy    *string    ``
	ReviewedAt    *time.Time ``
	Reopened      bool       `gorm:"not null;default:false"`
	// Confirmed is false for an answer prefilled from the previous
	// assessment until the vendor confirms or changes it.
	// (No GORM default: GORM would replace an explicit false with it.)
	Confirmed bool `gorm:"not null"`
	// Source says where a reviewer brought the answer in from (the
	// vendor's own questionnaire, an earlier assessment); "" when the
	// vendor answered in the portal.
	Source string `gorm:"not null;default:''"`
	// BeforeFollowUp is the value when the reviewer last asked for a
	// follow-up on this answer.
	BeforeFollowUp *string ``
	// EvidenceDocumentID links a file question's answer to a document of
	// the vendor's evidence library, whose review then scores it.
	EvidenceDocumentID *string ``
	// AnsweredInvitationID is the portal link that last saved the answer,
	// with its contact as they were invited; nil when a reviewer brought
	// the answer in.
	AnsweredInvitationID *string    ``
	AnsweredByName       string     `gorm:"not null;default:''"`
	AnsweredByEmail      string     `gorm:"not null;default:''"`
	AnsweredAt           *time.Time ``
}

// AssessmentFile is evidence a vendor (or reviewer) attached to a question.
type AssessmentFile struct {
	Base
	AssessmentID string `gorm:"not null"`
	QuestionKey  string `gorm:"not null"`
	Filename     string `gorm:"not null"`
	ContentType  string `gorm:"not null"`
	Size         int64  `gorm:"not null"`
	Sha256       string `gorm:"column:sha256;not null"`
	StorageKey   string `gorm:"not null"`
	UploadedVia  string `gorm:"not null"`
}

// UpsertBuiltinTemplate stores a built-in questionnaire as revision 1 of
// its key unless that revision exists; it reports whether it inserted.
func UpsertBuiltinTemplate(ctx context.Context, db *gorm.DB, t *QuestionnaireTemplate) (bool, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&QuestionnaireTemplate{}).Where("key = ? AND revision = ?", t.Key, t.Revision).Count(&n).Error; err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	return true, db.WithContext(ctx).Create(t).Error
}

// ListTemplates returns every template revision, newest revision first
// within each key.
func ListTemplates(ctx context.Context, db *gorm.DB, includeRetired bool) ([]QuestionnaireTemplate, error) {
	out := []QuestionnaireTemplate{}
	q := db.WithContext(ctx).Omit("content")
	if !includeRetired {
		q = q.Where("status <> ?", "retired")
	}
	err := q.Order("name, revision DESC").Limit(MaxLimit).Find(&out).Error
	return out, err
}

// GetTemplate returns one template revision with its content.
func GetTemplate(ctx context.Context, db *gorm.DB, id string) (*QuestionnaireTemplate, error) {
	var t QuestionnaireTemplate
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, translate(err)
	}
	return &t, nil
}

// CreateAssessment stores a new assessment.
func CreateAssessment(ctx context.Context, db *gorm.DB, a *Assessment) error {
	if a.Version == 0 {
		a.Version = 1
	}
	if err := db.WithContext(ctx).Create(a).Error; err != nil {
		return err
	}
	return setNewUnits(ctx, db, UnitAssessment, a.ID, a.VendorID, a.UnitIDs)
}

// GetAssessment returns one assessment.
func GetAssessment(ctx context.Context, db *gorm.DB, id string) (*Assessment, error) {
	var a Assessment
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&a).Error; err != nil {
		return nil, translate(err)
	}
	return &a, nil
}

// LockAssessment reads an assessment and holds it until the transaction
// ends, so checks on its status and the writes they allow cannot
// interleave with another writer's (PostgreSQL locks the row; SQLite's
// immediate transactions already hold the database's write lock).
func LockAssessment(ctx context.Context, tx *gorm.DB, id string) (*Assessment, error) {
	var a Assessment
	if err := tx.WithContext(ctx).Clauses(lockForUpdate(tx)...).Where("id = ?", id).Take(&a).Error; err != nil {
		return nil, translate(err)
	}
	return &a, nil
}

// PortalUploads counts the files vendors attached to an assessment through
// its portal links and their total size.
func PortalUploads(ctx context.Context, db *gorm.DB, assessmentID string) (n, bytes int64, err error) {
	var row struct{ N, Total int64 }
	err = db.WithContext(ctx).Model(&AssessmentFile{}).Select("COUNT(*) AS n, COALESCE(SUM(size), 0) AS total").
		Where("assessment_id = ? AND uploaded_via = ?", assessmentID, "portal").Scan(&row).Error
	return row.N, row.Total, err
}

// UpdateAssessment applies set if the assessment is still at version
// (0 skips the check).
func UpdateAssessment(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*Assessment, error) {
	return updateVersioned[Assessment](ctx, db, id, version, set, true)
}

// AssessmentFilter selects assessments.
type AssessmentFilter struct {
	VendorID   string
	Statuses   []string
	ReviewerID string
	// TemplateKey selects assessments of any revision of one questionnaire.
	TemplateKey string
	// Due is "overdue" (due before Today) or "due_soon" (due within 30
	// days of Today), either only while the vendor still has to answer.
	Due    string
	Today  string
	Sort   string
	Cursor string
	Limit  int
}

// AssessmentOpenStatuses are the statuses in which an assessment still
// waits for the vendor or the reviewer, so a due date matters.
var AssessmentOpenStatuses = []string{"draft", "sent", "in_progress", "submitted", "in_review"}

// openAssessment is AssessmentOpenStatuses as SQL, written out (not bound)
// so that SQLite and PostgreSQL match it to the partial due-date index.
const openAssessment = "status IN ('draft', 'sent', 'in_progress', 'submitted', 'in_review')"

// AssessmentAwaitingVendor are the open statuses in which the vendor still
// has to answer: only there is a passed due date overdue. Once the vendor
// has submitted, the due date is met whatever the review takes.
var AssessmentAwaitingVendor = []string{"draft", "sent", "in_progress"}

// awaitingVendor is AssessmentAwaitingVendor as SQL; it narrows
// openAssessment, whose partial index still serves the due filters.
const awaitingVendor = "status IN ('draft', 'sent', 'in_progress')"

// AssessmentDueFilters are the values of AssessmentFilter.Due.
var AssessmentDueFilters = []string{"overdue", "due_soon"}

// AssessmentSorts are the columns the assessment list sorts by.
var AssessmentSorts = map[string]SortColumn{
	"created_at": {Column: "created_at", Kind: SortTime},
	"updated_at": {Column: "updated_at", Kind: SortTime},
	"due_date":   {Column: "due_date", Kind: SortText},
	"status":     {Column: "status", Kind: SortText},
}

// AssessmentRecord is an assessment with the names a list shows.
type AssessmentRecord struct {
	Assessment
	VendorName   string
	ReviewerName string
}

// ListAssessments returns one page of assessments with their vendor and
// reviewer names (one batched query each, whatever the page size).
func ListAssessments(ctx context.Context, db *gorm.DB, f AssessmentFilter) (Page[AssessmentRecord], error) {
	db = db.WithContext(ctx)
	q := db.Model(&Assessment{})
	if f.VendorID != "" {
		q = q.Where("vendor_id = ?", f.VendorID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.ReviewerID != "" {
		q = q.Where("reviewer_id = ?", f.ReviewerID)
	}
	if f.TemplateKey != "" {
		// The revisions first (a handful), so that the assessments are
		// found and counted from the (template_id, created_at) index.
		var ids []string
		if err := db.Model(&QuestionnaireTemplate{}).Where("key = ?", f.TemplateKey).Pluck("id", &ids).Error; err != nil {
			return Page[AssessmentRecord]{}, err
		}
		if len(ids) == 0 {
			ids = []string{""}
		}
		q = q.Where("template_id IN ?", ids)
	}
	switch f.Due {
	case "overdue":
		q = q.Where(openAssessment+" AND "+awaitingVendor+" AND due_date <> '' AND due_date < ?", f.Today)
	case "due_soon":
		today, err := time.Parse(time.DateOnly, f.Today)
		if err != nil {
			return Page[AssessmentRecord]{}, Invalid("due", "needs today's date")
		}
		q = q.Where(openAssessment+" AND "+awaitingVendor+" AND due_date >= ? AND due_date <= ?", f.Today, today.AddDate(0, 0, 30).Format(time.DateOnly))
	}
	page, err := paginate[Assessment](q, AssessmentSorts, f.Sort, "-created_at", f.Cursor, f.Limit)
	if err != nil {
		return Page[AssessmentRecord]{}, err
	}
	var vendorIDs, userIDs []string
	for _, a := range page.Items {
		vendorIDs = append(vendorIDs, a.VendorID)
		if a.ReviewerID != nil {
			userIDs = append(userIDs, *a.ReviewerID)
		}
	}
	vendors, err := VendorNames(ctx, db, vendorIDs)
	if err != nil {
		return Page[AssessmentRecord]{}, err
	}
	users, err := usersByID(db, userIDs)
	if err != nil {
		return Page[AssessmentRecord]{}, err
	}
	out := withItems(page, make([]AssessmentRecord, len(page.Items)))
	for i, a := range page.Items {
		out.Items[i] = AssessmentRecord{Assessment: a, VendorName: vendors[a.VendorID]}
		if a.ReviewerID != nil && users[*a.ReviewerID] != nil {
			out.Items[i].ReviewerName = users[*a.ReviewerID].Name
		}
	}
	return out, nil
}

// CreateInvitation stores a portal invitation.
func CreateInvitation(ctx context.Context, db *gorm.DB, inv *PortalInvitation) error {
	return db.WithContext(ctx).Create(inv).Error
}

// InvitationByHash finds an invitation by its token's hash.
func InvitationByHash(ctx context.Context, db *gorm.DB, hash string) (*PortalInvitation, error) {
	var inv PortalInvitation
	if err := db.WithContext(ctx).Where("token_hash = ?", hash).Take(&inv).Error; err != nil {
		return nil, translate(err)
	}
	return &inv, nil
}

// RevokeInvitations revokes every live invitation of an assessment, its
// delegations included.
func RevokeInvitations(ctx context.Context, db *gorm.DB, assessmentID string, at time.Time) error {
	return db.WithContext(ctx).Model(&PortalInvitation{}).Where("assessment_id = ? AND revoked_at IS NULL", assessmentID).
		Updates(map[string]any{"revoked_at": at, "updated_at": at}).Error
}

// RevokeMainInvitations revokes the live main invitations of an
// assessment and leaves its delegations working.
func RevokeMainInvitations(ctx context.Context, db *gorm.DB, assessmentID string, at time.Time) error {
	return db.WithContext(ctx).Model(&PortalInvitation{}).Where("assessment_id = ? AND revoked_at IS NULL AND delegated_by IS NULL", assessmentID).
		Updates(map[string]any{"revoked_at": at, "updated_at": at}).Error
}

// MaxDelegations bounds the delegations of one assessment, revoked ones
// included, so that their list needs no pages.
const MaxDelegations = 50

// Delegations lists an assessment's delegated invitations, newest first.
func Delegations(ctx context.Context, db *gorm.DB, assessmentID string) ([]PortalInvitation, error) {
	out := []PortalInvitation{}
	err := db.WithContext(ctx).Where("assessment_id = ? AND delegated_by IS NOT NULL", assessmentID).
		Order("created_at DESC, id DESC").Limit(MaxDelegations).Find(&out).Error
	return out, err
}

// Delegation returns one delegated invitation of the assessment.
func Delegation(ctx context.Context, db *gorm.DB, assessmentID, id string) (*PortalInvitation, error) {
	var inv PortalInvitation
	if err := db.WithContext(ctx).Where("id = ? AND assessment_id = ? AND delegated_by IS NOT NULL", id, assessmentID).Take(&inv).Error; err != nil {
		return nil, translate(err)
	}
	return &inv, nil
}

// UpdateInvitation applies set to an invitation still at version.
func UpdateInvitation(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*PortalInvitation, error) {
	return updateVersioned[PortalInvitation](ctx, db, id, version, set, true)
}

// AnsweredBy counts an assessment's answers by the portal link that last
// saved them.
func AnsweredBy(ctx context.Context, db *gorm.DB, assessmentID string) (map[string]int, error) {
	var rows []struct {
		AnsweredInvitationID string
		N                    int
	}
	err := db.WithContext(ctx).Model(&AssessmentAnswer{}).Select("answered_invitation_id, COUNT(*) AS n").
		Where("assessment_id = ? AND answered_invitation_id IS NOT NULL AND value <> 'null'", assessmentID).Group("answered_invitation_id").Scan(&rows).Error
	out := map[string]int{}
	for _, r := range rows {
		out[r.AnsweredInvitationID] = r.N
	}
	return out, err
}

// Invitations lists an assessment's invitations, newest first.
func Invitations(ctx context.Context, db *gorm.DB, assessmentID string) ([]PortalInvitation, error) {
	out := []PortalInvitation{}
	err := db.WithContext(ctx).Where("assessment_id = ?", assessmentID).Order("created_at DESC").Limit(MaxLimit).Find(&out).Error
	return out, err
}

// TouchInvitation records use (at most the caller's chosen frequency).
func TouchInvitation(ctx context.Context, db *gorm.DB, id string, at time.Time) error {
	return db.WithContext(ctx).Model(&PortalInvitation{}).Where("id = ?", id).Update("last_used_at", at).Error
}

// Answers returns an assessment's answers keyed by question.
func Answers(ctx context.Context, db *gorm.DB, assessmentID string) (map[string]*AssessmentAnswer, error) {
	var rows []AssessmentAnswer
	if err := db.WithContext(ctx).Where("assessment_id = ?", assessmentID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]*AssessmentAnswer, len(rows))
	for i := range rows {
		out[rows[i].QuestionKey] = &rows[i]
	}
	return out, nil
}

// SaveAnswer inserts or replaces the value, comment and source of an
// answer, which confirms it. A vendor's own change in the portal clears
// the source, since the answer is then theirs.
func SaveAnswer(ctx context.Context, db *gorm.DB, a *AssessmentAnswer) error {
	now := time.Now().UTC()
	if a.ID == "" {
		a.ID = NewID()
	}
	a.CreatedAt, a.UpdatedAt, a.Confirmed = now, now, true
	return db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "assessment_id"}, {Name: "question_key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "comment", "confirmed", "source", "updated_at",
			"answered_invitation_id", "answered_by_name", "answered_by_email", "answered_at"}),
	}).Create(a).Error
}

// PrefillAnswers copies a previous assessment's answers and evidence into
// a new one, unconfirmed, for the questions the new one still asks.
func PrefillAnswers(ctx context.Context, db *gorm.DB, fromID, toID string, keep func(key string) bool) (int, error) {
	prev, err := Answers(ctx, db, fromID)
	if err != nil {
		return 0, err
	}
	n := 0
	now := time.Now().UTC()
	for key, a := range prev {
		if !keep(key) || a.Value == "null" {
			continue
		}
		v := a.Value
		row := &AssessmentAnswer{AssessmentID: toID, QuestionKey: key, Value: a.Value, Comment: a.Comment, PreviousValue: &v, Confirmed: false}
		row.ID, row.CreatedAt, row.UpdatedAt = NewID(), now, now
		if err := db.WithContext(ctx).Create(row).Error; err != nil {
			return n, err
		}
		n++
	}
	files, err := AssessmentFiles(ctx, db, fromID)
	if err != nil {
		return n, err
	}
	for _, f := range files {
		if !keep(f.QuestionKey) {
			continue
		}
		// Stored files never change or disappear, so the copy can share them.
		c := f
		c.ID, c.AssessmentID, c.CreatedAt, c.UpdatedAt = NewID(), toID, now, now
		if err := db.WithContext(ctx).Create(&c).Error; err != nil {
			return n, err
		}
	}
	return n, nil
}

// ReviewAnswer sets the review mark of an answer, creating an empty answer
// row when the question was not answered.
func ReviewAnswer(ctx context.Context, db *gorm.DB, assessmentID, key, status, comment, reviewerID string, at time.Time) error {
	a := &AssessmentAnswer{AssessmentID: assessmentID, QuestionKey: key, Value: "null", ReviewStatus: status,
		ReviewComment: comment, ReviewedBy: &reviewerID, ReviewedAt: &at, Reopened: status == "follow_up", Confirmed: true}
	a.ID, a.CreatedAt, a.UpdatedAt = NewID(), at, at
	if err := db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "assessment_id"}, {Name: "question_key"}},
		DoUpdates: clause.AssignmentColumns([]string{"review_status", "review_comment", "reviewed_by", "reviewed_at", "reopened", "updated_at"}),
	}).Create(a).Error; err != nil || status != "follow_up" {
		return err
	}
	return db.WithContext(ctx).Model(&AssessmentAnswer{}).Where("assessment_id = ? AND question_key = ?", assessmentID, key).
		Update("before_follow_up", gorm.Expr("value")).Error
}

// LinkAnswerEvidence links the answer to key to an evidence document, or
// unlinks it when documentID is nil, creating the answer row if the
// vendor left none (a reviewer may stand a file question on a document
// already in the library).
func LinkAnswerEvidence(ctx context.Context, db *gorm.DB, assessmentID, key string, documentID *string, at time.Time) error {
	a := &AssessmentAnswer{AssessmentID: assessmentID, QuestionKey: key, Value: "null", Confirmed: true, EvidenceDocumentID: documentID}
	a.ID, a.CreatedAt, a.UpdatedAt = NewID(), at, at
	return db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "assessment_id"}, {Name: "question_key"}},
		DoUpdates: clause.AssignmentColumns([]string{"evidence_document_id", "updated_at"}),
	}).Create(a).Error
}

// AssessmentsCitingEvidence returns the ids of the assessments with an
// answer linked to the document.
func AssessmentsCitingEvidence(ctx context.Context, db *gorm.DB, documentID string) ([]string, error) {
	var ids []string
	err := db.WithContext(ctx).Model(&AssessmentAnswer{}).Distinct("assessment_id").
		Where("evidence_document_id = ?", documentID).Order("assessment_id").Pluck("assessment_id", &ids).Error
	return ids, err
}

// CloseFollowUps marks every reopened answer closed again (the vendor
// resubmitted).
func CloseFollowUps(ctx context.Context, db *gorm.DB, assessmentID string) error {
	return db.WithContext(ctx).Model(&AssessmentAnswer{}).Where("assessment_id = ? AND reopened = ?", assessmentID, true).
		Updates(map[string]any{"reopened": false, "review_status": ""}).Error
}

// FileCounts counts evidence files per question.
func FileCounts(ctx context.Context, db *gorm.DB, assessmentID string) (map[string]int, error) {
	var rows []struct {
		QuestionKey string
		N           int
	}
	err := db.WithContext(ctx).Model(&AssessmentFile{}).Select("question_key, COUNT(*) AS n").
		Where("assessment_id = ?", assessmentID).Group("question_key").Scan(&rows).Error
	out := map[string]int{}
	for _, r := range rows {
		out[r.QuestionKey] = r.N
	}
	return out, err
}

// AssessmentFiles lists an assessment's evidence files.
func AssessmentFiles(ctx context.Context, db *gorm.DB, assessmentID string) ([]AssessmentFile, error) {
	out := []AssessmentFile{}
	err := db.WithContext(ctx).Where("assessment_id = ?", assessmentID).Order("created_at, id").Limit(1000).Find(&out).Error
	return out, err
}

// AssessmentFileByID returns one evidence file of the assessment.
func AssessmentFileByID(ctx context.Context, db *gorm.DB, assessmentID, id string) (*AssessmentFile, error) {
	var f AssessmentFile
	if err := db.WithContext(ctx).Where("id = ? AND assessment_id = ?", id, assessmentID).Take(&f).Error; err != nil {
		return nil, translate(err)
	}
	return &f, nil
}

// UpdateTemplate applies set to a template revision still at version.
func UpdateTemplate(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*QuestionnaireTemplate, error) {
	return updateVersioned[QuestionnaireTemplate](ctx, db, id, version, set, true)
}

// PublishedTemplate returns the published revision of a questionnaire key.
func PublishedTemplate(ctx context.Context, db *gorm.DB, key string) (*QuestionnaireTemplate, error) {
	var t QuestionnaireTemplate
	err := db.WithContext(ctx).Where("key = ? AND status = ?", key, "published").Order("revision DESC").Take(&t).Error
	if err != nil {
		return nil, translate(err)
	}
	return &t, nil
}
