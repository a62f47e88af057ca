package models

import (
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Base is embedded by every model: a time-ordered string id (UUIDv7, so
// ids sort by creation and make good keyset cursors) and the timestamps.
type Base struct {
	ID        string    `gorm:"primaryKey" json:"id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// BeforeCreate assigns the id when the caller did not.
func (b *Base) BeforeCreate(*gorm.DB) error {
	if b.ID == "" {
		b.ID = NewID()
	}
	return nil
}

// NewID returns a new UUIDv7 string.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// Models lists every model with a table, for the schema check and tooling.
func Models() []any {
	return []any{&User{}, &SCIMGroup{}, &SCIMGroupMember{}, &Session{}, &APIToken{}, &SignInThrottle{}, &AuditEvent{},
		&Vendor{}, &VendorTag{}, &VendorDataType{}, &VendorContact{}, &VendorSubprocessor{},
		&ToolRequest{}, &ToolRequestEvent{}, &RequestAttachment{},
		&QuestionnaireTemplate{}, &TemplateSource{}, &Assessment{}, &PortalInvitation{}, &AssessmentAnswer{}, &AssessmentFile{},
		&RiskModel{}, &VendorRiskHistory{}, &DashboardTally{}, &Finding{}, &RiskException{}, &FindingComment{}, &FindingAttachment{}, &Contract{}, &CalendarFeed{},
		&ContractDocument{}, &ContractTerm{}, &ContractComment{}, &Playbook{},
		&Notification{}, &NotificationPreference{}, &MailMessage{}, &MailAttempt{}, &MailBounce{}, &Schedule{},
		&MFARecoveryCode{}, &MFAChallenge{}, &PasswordReset{}, &SecurityPolicy{}, &EvidenceDocument{}, &EvidenceVersion{}, &SOCReview{}, &SOCReviewItem{},
		&WebhookEndpoint{}, &WebhookEvent{}, &WebhookDelivery{}, &WebhookAttempt{},
		&SSOProvider{}, &SSOLogin{}, &UserIdentity{}, &SAMLAssertion{},
		&Incident{}, &IncidentEvent{}, &IncidentFinding{}, &IncidentLink{},
		&Offboarding{}, &OffboardingItem{}, &Passkey{}, &WebAuthnCeremony{},
		&AnswerMessage{}, &AnswerMessageFile{}, &AnswerThreadRead{}, &PortalLogo{}, &DORASettings{}, &Organization{},
		&FindingRemediation{}, &RemediationLink{}, &RemediationEvent{}, &RemediationFile{}, &EvidenceRequest{},
		&BusinessUnit{}, &BusinessUnitLink{}, &UserBusinessUnit{},
		&CustomField{}, &CustomFieldValue{}}
}
