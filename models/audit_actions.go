package models

import (
	"context"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// AuditAction is one kind of audit event and how it reads to people.
type AuditAction struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// AuditFamily groups related actions for the Activity filter.
type AuditFamily struct {
	Value   string        `json:"value"`
	Label   string        `json:"label"`
	Actions []AuditAction `json:"actions"`
}

// AuditFamilies is the one list of every action the app records. The
// Activity filter, the event labels and the family filter all come from
// it, and a test fails when code records an action missing here.
var AuditFamilies = []AuditFamily{
	{"auth", "Sign-in", []AuditAction{
		{"auth.sign_in", "Signed in"},
		{"auth.sign_in_failed", "Sign-in failed"},
		{"auth.sign_out", "Signed out"},
		{"auth.sign_out_everywhere", "Signed out everywhere"},
		{"auth.password_change", "Changed password"},
		{"auth.mfa_failed", "Second factor refused"},
		{"auth.password_reset_requested", "Asked for a password reset link"},
		{"auth.password_reset", "Reset password by link"},
		{"auth.session_revoke", "Ended a session"},
		{"auth.sessions_revoke_others", "Ended other sessions"},
	}},
	{"mfa", "Multi-factor authentication", []AuditAction{
		{"mfa.enrol", "Turned on MFA"},
		{"mfa.disable", "Turned off MFA"},
		{"mfa.recovery_code_used", "Used a recovery code"},
		{"mfa.recovery_codes_regenerate", "Made new recovery codes"},
		{"mfa.admin_reset", "Reset a user's MFA"},
		{"passkey.register", "Added a passkey"},
		{"passkey.rename", "Renamed a passkey"},
		{"passkey.delete", "Removed a passkey"},
		{"passkey.admin_delete", "Removed a user's passkey"},
	}},
	{"access", "Refused access", []AuditAction{
		{"access.denied", "Access denied"},
		{"access.unauthenticated", "Refused: not signed in"},
		{"access.csrf_failed", "Refused: CSRF check failed"},
		{"access.cross_origin_refused", "Refused: cross-site request"},
		{"access.self_approval_refused", "Refused: own request"},
	}},
	{"user", "Users", []AuditAction{
		{"user.create", "Created user"},
		{"user.update", "Updated user"},
		{"user.role_change", "Changed role"},
		{"user.unlock_sign_in", "Unlocked sign-in"},
		{"user.password_reset_link", "Sent a password reset link"},
		{"user.password_temporary", "Set a temporary password"},
		{"user.sessions_end", "Ended a user's sessions"},
	}},
	{"scim", "Provisioning (SCIM)", []AuditAction{
		{"scim.token_create", "Made a SCIM token"},
		{"scim.token_revoke", "Turned off SCIM provisioning"},
		{"scim.group_create", "Provisioned a group"},
		{"scim.group_update", "Changed a provisioned group"},
		{"scim.group_delete", "Removed a provisioned group"},
		{"scim.user_delete", "Deprovisioned a user"},
	}},
	{"api_token", "API tokens", []AuditAction{
		{"api_token.create", "Created API token"},
		{"api_token.revoke", "Revoked API token"},
	}},
	{"calendar_feed", "Calendar feeds", []AuditAction{
		{"calendar_feed.create", "Created calendar feed"},
		{"calendar_feed.revoke", "Revoked calendar feed"},
	}},
	{"vendor", "Vendors", []AuditAction{
		{"vendor.create", "Added vendor"},
		{"vendor.update", "Updated vendor"},
		{"vendor.status_change", "Changed vendor status"},
		{"vendor.archive", "Archived vendor"},
		{"vendor.restore", "Restored vendor"},
		{"vendor.import", "Imported vendors"},
		{"vendor.tier_override_set", "Overrode vendor tier"},
		{"vendor.tier_override_clear", "Cleared vendor tier override"},
		{"vendor.dora_update", "Updated vendor's DORA register fields"},
	}},
	{"offboarding", "Vendor offboarding", []AuditAction{
		{"offboarding.start", "Started offboarding"},
		{"offboarding.item_complete", "Completed offboarding step"},
		{"offboarding.item_waive", "Waived offboarding step"},
		{"offboarding.item_reopen", "Reopened offboarding step"},
		{"offboarding.item_note", "Noted offboarding step"},
		{"offboarding.sign_off", "Signed off offboarding"},
		{"offboarding.cancel", "Cancelled offboarding"},
	}},
	{"request", "Requests", []AuditAction{
		{"request.create", "Filed request"},
		{"request.update", "Edited request"},
		{"request.status_change", "Moved request"},
		{"request.decide", "Decided request"},
		{"request.assign", "Assigned request"},
		{"request.link_vendor", "Linked request to vendor"},
		{"request.comment", "Commented on request"},
		{"request.attach", "Attached file to request"},
	}},
	{"questionnaire", "Questionnaires", []AuditAction{
		{"questionnaire.create", "Created questionnaire"},
		{"questionnaire.update", "Edited questionnaire"},
		{"questionnaire.publish", "Published questionnaire"},
		{"questionnaire.revise", "Started questionnaire revision"},
	}},
	{"assessment", "Assessments", []AuditAction{
		{"assessment.create", "Started assessment"},
		{"assessment.send", "Sent questionnaire to vendor"},
		{"assessment.revoke_link", "Revoked portal link"},
		{"assessment.delegation_revoke", "Revoked a link a vendor contact shared with a colleague"},
		{"assessment.import_answers", "Imported answers"},
		{"assessment.intake", "Took answers from the vendor's own questionnaire"},
		{"assessment.reuse_answers", "Reused answers from an earlier assessment"},
		{"assessment.review", "Reviewed answers"},
		{"assessment.review_bulk", "Accepted answers in bulk"},
		{"assessment.evidence_link", "Linked a file answer to evidence"},
		{"assessment.follow_up", "Asked vendor to follow up"},
		{"assessment.message", "Wrote to the vendor on an answer"},
		{"assessment.complete", "Completed assessment"},
		{"assessment.cancel", "Cancelled assessment"},
		{"assessment.business_units", "Changed the assessment's business units"},
		{"assessment.schedule_start", "Reassessment started by the schedule"},
	}},
	{"portal", "Vendor portal", []AuditAction{
		{"assessment.answer", "Vendor answered a question"},
		{"assessment.evidence", "Vendor uploaded evidence"},
		{"assessment.evidence_remove", "Vendor removed evidence"},
		{"assessment.vendor_message", "Vendor wrote on an answer"},
		{"assessment.submit", "Vendor submitted questionnaire"},
		{"assessment.delegate", "Vendor shared sections with a colleague"},
		{"assessment.delegation_change", "Vendor changed the sections shared with a colleague"},
		{"finding.remediation_plan", "Vendor proposed remediation plan"},
		{"finding.remediation_progress", "Vendor posted remediation progress"},
		{"finding.remediation_done", "Vendor marked remediation done"},
		{"evidence.request_upload", "Vendor uploaded requested document"},
	}},
	{"evidence", "Vendor evidence", []AuditAction{
		{"evidence.upload", "Uploaded evidence document"},
		{"evidence.version", "Uploaded new evidence version"},
		{"evidence.update", "Updated evidence document"},
		{"evidence.accept", "Accepted evidence document"},
		{"evidence.reject", "Rejected evidence document"},
		{"soc_review.decide", "Decided SOC report checklist item"},
		{"soc_review.complete", "Completed SOC report checklist"},
		{"evidence.request", "Requested document from vendor"},
		{"evidence.request_cancel", "Cancelled document request"},
	}},
	{"incident", "Incidents", []AuditAction{
		{"incident.create", "Recorded incident"},
		{"incident.report", "Vendor reported incident"},
		{"incident.update", "Updated incident"},
		{"incident.note", "Added note to incident"},
		{"incident.link_finding", "Linked finding to incident"},
		{"incident.unlink_finding", "Unlinked finding from incident"},
		{"incident.link_create", "Created incident report link"},
		{"incident.link_revoke", "Revoked incident report link"},
	}},
	{"finding", "Findings", []AuditAction{
		{"finding.create", "Raised finding"},
		{"finding.update", "Updated finding"},
		{"finding.comment", "Commented on finding"},
		{"finding.attach", "Attached evidence to finding"},
		{"finding.remediation_share", "Shared finding with the vendor"},
		{"finding.remediation_link_revoke", "Revoked remediation link"},
		{"finding.remediation_accept_plan", "Accepted vendor's remediation plan"},
		{"finding.remediation_request_changes", "Asked vendor for remediation changes"},
		{"finding.remediation_accept_complete", "Accepted remediation as complete"},
	}},
	{"exception", "Exceptions", []AuditAction{
		{"exception.request", "Requested exception"},
		{"exception.approve", "Approved exception"},
		{"exception.reject", "Rejected exception"},
		{"exception.expire", "Exception expired"},
	}},
	{"contract", "Contracts", []AuditAction{
		{"contract.create", "Added contract"},
		{"contract.update", "Updated contract"},
		{"contract.record.accept", "Took values from the document into the contract record"},
		{"contract.comment", "Commented on contract"},
		{"contract.document.add", "Added contract document"},
		{"contract.term.confirm", "Confirmed contract term"},
		{"contract.term.correct", "Corrected contract term"},
		{"contract.review.signoff", "Signed off contract review"},
		{"contract.review.reopen", "Reopened contract review"},
		{"contract.dora_update", "Updated contract's DORA register fields"},
	}},
	{"dora", "DORA register", []AuditAction{
		{"dora.settings_update", "Changed the DORA register's entity settings"},
	}},
	{"business_unit", "Business units", []AuditAction{
		{"business_unit.create", "Created business unit"},
		{"business_unit.update", "Changed business unit"},
		{"business_unit.archive", "Archived business unit"},
		{"business_unit.restore", "Restored business unit"},
		{"business_unit.user_scope", "Changed a person's business units"},
	}},
	{"webhook", "Webhooks", []AuditAction{
		{"webhook.create", "Registered webhook endpoint"},
		{"webhook.update", "Changed webhook endpoint"},
		{"webhook.delete", "Removed webhook endpoint"},
		{"webhook.rotate_secret", "Made a new webhook secret"},
		{"webhook.ping", "Sent a webhook test event"},
		{"webhook.redeliver", "Sent a webhook delivery again"},
		{"webhook.disable", "Webhook endpoint turned off after failed deliveries"},
	}},
	{"mail", "Mail", []AuditAction{
		{"mail.resend", "Sent mail again"},
	}},
	{"settings", "Settings", []AuditAction{
		{"playbook.publish", "Published clause playbook"},
		{"risk_model.publish", "Published risk model"},
		{"security_policy.update", "Changed the security policy"},
		{"portal_logo.set", "Set the vendor portal's logo"},
		{"portal_logo.remove", "Removed the vendor portal's logo"},
		{"organization.update", "Changed the company's name vendors see"},
		{"sso.provider_create", "Added an identity provider"},
		{"sso.provider_update", "Changed an identity provider"},
		{"sso.provider_delete", "Removed an identity provider"},
		{"custom_field.create", "Added a custom field"},
		{"custom_field.update", "Changed a custom field"},
		{"custom_field.archive", "Archived a custom field"},
		{"custom_field.restore", "Restored a custom field"},
		{"custom_field.delete", "Removed a custom field"},
		{"custom_field.reorder", "Reordered custom fields"},
	}},
}

var auditLabels = func() map[string]string {
	m := map[string]string{}
	for _, f := range AuditFamilies {
		for _, a := range f.Actions {
			m[a.Value] = a.Label
		}
	}
	return m
}()

// AuditActionLabel is how action reads to people; an action recorded by an
// older version and since retired reads as its words ("x.some_thing" ->
// "X some thing"), never as the raw code next to itself.
func AuditActionLabel(action string) string {
	if l, ok := auditLabels[action]; ok {
		return l
	}
	words := strings.NewReplacer(".", " ", "_", " ").Replace(action)
	r, n := utf8.DecodeRuneInString(words)
	return strings.ToUpper(string(r)) + words[n:]
}

// AuditKnownAction says whether action is in AuditFamilies.
func AuditKnownAction(action string) bool {
	_, ok := auditLabels[action]
	return ok
}

// AuditFamilyActions lists the actions of family, or false when there is
// no such family. Filtering by family is filtering by this list, which the
// (action, seq) index serves.
func AuditFamilyActions(family string) ([]string, bool) {
	for _, f := range AuditFamilies {
		if f.Value == family {
			out := make([]string, len(f.Actions))
			for i, a := range f.Actions {
				out[i] = a.Value
			}
			return out, true
		}
	}
	return nil, false
}

// auditNameSources says where the name of each kind of audited object is:
// a model and one of its text columns (constants, never user input).
var auditNameSources = map[string]struct {
	model  any
	column string
}{
	"user":          {&User{}, "CASE WHEN name <> '' THEN name ELSE email END"},
	"api_token":     {&APIToken{}, "name"},
	"vendor":        {&Vendor{}, "name"},
	"request":       {&ToolRequest{}, "title"},
	"questionnaire": {&QuestionnaireTemplate{}, "name"},
	"assessment":    {&Assessment{}, "title"},
	"finding":       {&Finding{}, "title"},
	"incident":      {&Incident{}, "title"},
	"exception":     {&RiskException{}, "justification"},
	"contract":      {&Contract{}, "title"},
	"mail":          {&MailMessage{}, "subject"},
}

// maxObjectName keeps long texts (an exception's justification) to a label.
const maxObjectName = 80

// AuditObjectNames names the objects of events: one query per object type,
// keyed by type and id ("vendor\x00<id>"). Objects that are gone, or of a
// type without a name, are absent, so the caller shows the id instead.
func AuditObjectNames(ctx context.Context, db *gorm.DB, events []AuditEvent) (map[string]string, error) {
	ids := map[string][]string{}
	seen := map[string]bool{}
	for _, e := range events {
		k := AuditObjectKey(e.ObjectType, e.ObjectID)
		if _, ok := auditNameSources[e.ObjectType]; !ok || e.ObjectID == "" || seen[k] {
			continue
		}
		seen[k] = true
		ids[e.ObjectType] = append(ids[e.ObjectType], e.ObjectID)
	}
	out := map[string]string{}
	for typ, list := range ids {
		src := auditNameSources[typ]
		names, err := namesByID(ctx, db, src.model, src.column, list)
		if err != nil {
			return nil, err
		}
		for id, name := range names {
			out[AuditObjectKey(typ, id)] = shorten(strings.TrimSpace(name), maxObjectName)
		}
	}
	return out, nil
}

// AuditObjectKey is the key of AuditObjectNames' map.
func AuditObjectKey(typ, id string) string { return typ + "\x00" + id }

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
