// Package authz is the permission table: which role may perform which
// action. It is the one answer to "who may do this"; the HTTP layer names
// an action on every route, and object-level rules (a requester sees only
// their own requests) sit beside the queries that enforce them.
package authz

import (
	"slices"

	"rampart/models"
)

// Action is something a signed-in principal may be allowed to do.
type Action string

// Actions. Names are resource.verb; "own" actions concern the caller's own
// account and are granted to every role.
const (
	ProfileOwn     Action = "profile.own"    // read and edit one's own name and password, sessions
	TokensOwn      Action = "api_tokens.own" // create, list and revoke one's own API tokens
	UsersRead      Action = "users.read"     // list users (owner pickers, the Users page)
	UsersManage    Action = "users.manage"   // create users, change roles, deactivate
	AuditRead      Action = "audit.read"     // read, verify and export the audit trail
	SettingsRead   Action = "settings.read"
	SettingsManage Action = "settings.manage" // change the risk model and other settings
	// CustomFieldsRead is the custom field definitions, which everyone who
	// edits or reads vendors, contracts or findings needs for their forms
	// and columns (legal has no settings.read).
	CustomFieldsRead Action = "custom_fields.read"
	// NotificationsOwn is one's own bell and notification preferences.
	NotificationsOwn Action = "notifications.own"
	// MailManage is the mail delivery log, the demo outbox, resending and
	// the scheduled tasks: the log holds every message's full text, portal
	// links included.
	MailManage Action = "mail.manage"
	// WebhooksManage is registering webhook endpoints and reading their
	// delivery log (payloads carry changes to every kind of record).
	WebhooksManage Action = "webhooks.manage"

	// Sections of the product, for navigation now and for their routes as
	// they arrive.
	DashboardRead Action = "dashboard.read"
	VendorsRead   Action = "vendors.read"
	VendorsWrite  Action = "vendors.write" // create, edit, archive, import
	// EvidenceManage is uploading a vendor's evidence documents and
	// reviewing them (accept, reject); reading them is VendorsRead.
	EvidenceManage   Action = "evidence.manage"
	RequestsRead     Action = "requests.read"        // requesters: their own requests only
	RequestsCreate   Action = "requests.create"      // file a request
	RequestsAct      Action = "requests.participate" // comment, edit, move a request as its rules allow
	RequestsTriage   Action = "requests.triage"      // assign, link or create the vendor
	AssessmentsRead  Action = "assessments.read"
	AssessmentsWrite Action = "assessments.write"     // create, send, review, complete assessments
	TemplatesManage  Action = "questionnaires.manage" // build, import, publish questionnaire templates
	ContractsRead    Action = "contracts.read"
	ContractsWrite   Action = "contracts.write"  // add and edit contracts, upload their documents, comment
	ContractsReview  Action = "contracts.review" // confirm or correct key terms, sign off and reopen legal review
	PlaybookManage   Action = "playbook.manage"  // change the clause playbook
	FindingsRead     Action = "findings.read"
	FindingsWrite    Action = "findings.write"    // raise and update findings, request exceptions
	ExceptionsDecide Action = "exceptions.decide" // approve or reject an exception (never one's own)
	IncidentsRead    Action = "incidents.read"
	IncidentsManage  Action = "incidents.manage" // record and update incidents, their timeline and findings, report links
	// DORARead is reading the DORA register of information: its
	// validation report and the export of its templates.
	DORARead Action = "dora.read"

	// Public marks a route that needs no sign-in (health, sign-in, meta).
	Public Action = "public"
)

// All lists every action, for the matrix test and the docs.
var All = []Action{ProfileOwn, TokensOwn, NotificationsOwn, MailManage, WebhooksManage, UsersRead, UsersManage, AuditRead, SettingsRead, SettingsManage,
	DashboardRead, VendorsRead, VendorsWrite, EvidenceManage, RequestsRead, RequestsCreate, RequestsAct, RequestsTriage,
	AssessmentsRead, AssessmentsWrite, TemplatesManage, ContractsRead, ContractsWrite, FindingsRead, FindingsWrite, ExceptionsDecide, ContractsReview, PlaybookManage,
	IncidentsRead, IncidentsManage, DORARead, CustomFieldsRead}

// table is the role x action matrix.
var table = map[models.Role][]Action{
	models.RoleAdmin: {ProfileOwn, TokensOwn, NotificationsOwn, MailManage, WebhooksManage, UsersRead, UsersManage, AuditRead, SettingsRead, SettingsManage,
		DashboardRead, VendorsRead, VendorsWrite, EvidenceManage, RequestsRead, RequestsCreate, RequestsAct, RequestsTriage,
		AssessmentsRead, AssessmentsWrite, TemplatesManage, ContractsRead, ContractsWrite, FindingsRead, FindingsWrite, ExceptionsDecide,
		ContractsReview, PlaybookManage, IncidentsRead, IncidentsManage, DORARead, CustomFieldsRead},
	models.RoleRiskManager: {ProfileOwn, TokensOwn, NotificationsOwn, UsersRead, SettingsRead,
		DashboardRead, VendorsRead, VendorsWrite, EvidenceManage, RequestsRead, RequestsCreate, RequestsAct, RequestsTriage,
		AssessmentsRead, AssessmentsWrite, TemplatesManage, ContractsRead, ContractsWrite, FindingsRead, FindingsWrite, ExceptionsDecide,
		IncidentsRead, IncidentsManage, DORARead, CustomFieldsRead},
	models.RoleLegal: {ProfileOwn, TokensOwn, NotificationsOwn, UsersRead,
		DashboardRead, VendorsRead, RequestsRead, RequestsCreate, RequestsAct, AssessmentsRead, ContractsRead, ContractsWrite, ContractsReview, PlaybookManage, FindingsRead, FindingsWrite,
		IncidentsRead, CustomFieldsRead},
	// A department head files requests and follows their own.
	models.RoleRequester: {ProfileOwn, TokensOwn, NotificationsOwn, RequestsRead, RequestsCreate, RequestsAct},
	// The auditor reads everything and changes nothing but their own
	// password and tokens.
	models.RoleAuditor: {ProfileOwn, TokensOwn, NotificationsOwn, UsersRead, AuditRead, SettingsRead,
		DashboardRead, VendorsRead, RequestsRead, AssessmentsRead, ContractsRead, FindingsRead, IncidentsRead, DORARead, CustomFieldsRead},
}

// Can reports whether role may perform action.
func Can(role models.Role, a Action) bool {
	return slices.Contains(table[role], a)
}

// For lists the actions of role, for the web app's navigation.
func For(role models.Role) []Action {
	out := slices.Clone(table[role])
	if out == nil {
		out = []Action{}
	}
	return out
}
