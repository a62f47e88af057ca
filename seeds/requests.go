package seeds

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rampart/models"
)

// demoRequest is one demo request and how far it has gone.
type demoRequest struct {
	title, vendor, website, purpose string
	dataTypes, methods              []string
	users, cost                     int64
	path                            []string // statuses after "submitted", in order
	conditions                      string
	question, answer                string
}

var demoRequests = []demoRequest{
	{"Miro for workshops", "Miro", "https://miro.example", "Remote workshops with customers and partners.", []string{"internal", "customer_data"}, []string{"sso"}, 60, 9600, nil, "", "", ""},
	{"Loom video messages", "Loom", "https://loom.example", "Async product demos for the sales team.", []string{"internal"}, []string{"sso"}, 25, 3000, []string{"triage"}, "", "Will recordings show customer environments?", "Only our demo tenant."},
	{"Gong call recording", "Gong", "https://gong.example", "Coaching from recorded sales calls.", []string{"personal_data", "customer_data"}, []string{"api", "sso"}, 40, 48000, []string{"triage", "security_review"}, "", "Which regions are recordings stored in?", "EU, per their DPA."},
	{"DocuSign for HR offers", "DocuSign", "https://docusign.example", "Send and sign offer letters.", []string{"personal_data", "sensitive_personal_data"}, []string{"sso", "api"}, 8, 7200, []string{"triage", "security_review", "legal_review"}, "", "", ""},
	{"Grammarly Business", "Grammarly", "https://grammarly.example", "Writing help for support agents.", []string{"customer_data", "confidential"}, []string{"agent"}, 30, 4500, []string{"triage", "rejected"}, "", "The desktop agent reads every text field. Is that acceptable?", "We need it in the ticket tool only."},
	{"Calendly scheduling", "Calendly", "https://calendly.example", "Prospects book demos directly.", []string{"personal_data"}, []string{"api"}, 15, 1800, []string{"triage", "approved"}, "", "", ""},
	{"Hotjar on the website", "Hotjar", "https://hotjar.example", "Understand drop-off on the pricing page.", []string{"personal_data"}, []string{"none"}, 5, 2400, []string{"triage", "security_review", "approved_with_conditions"}, "Masking of all input fields; EU data residency; review in 12 months.", "", ""},
	{"Zapier automations", "Zapier", "https://zapier.example", "Connect the CRM to Slack alerts.", []string{"customer_data", "credentials_secrets"}, []string{"api"}, 4, 1200, []string{"withdrawn"}, "", "", ""},
	{"Notion for the wiki", "Notion", "https://notion.example", "Replace the old wiki.", []string{"internal", "confidential"}, []string{"sso", "api"}, 300, 36000, []string{"triage", "legal_review"}, "", "Does the contract cover data export on exit?", "Asking the vendor."},
	{"1Password Teams", "1Password", "https://1password.example", "Shared vault for the marketing social accounts.", []string{"credentials_secrets"}, []string{"agent", "sso"}, 10, 960, []string{"triage", "security_review", "approved"}, "", "", ""},
}

// seedRequests files the demo requests as the department head and walks
// each through its stages with the risk manager and legal reviewer.
func seedRequests(ctx context.Context, tx *gorm.DB, head, risk, legal *models.User, start time.Time) error {
	for i, d := range demoRequests {
		at := start.Add(time.Duration(i) * 26 * time.Hour)
		r := &models.ToolRequest{Title: d.title, VendorName: d.vendor, VendorWebsite: d.website, Purpose: d.purpose,
			Departments: models.StringList{head.Department}, UserCount: d.users, DataTypes: d.dataTypes, IntegrationMethods: d.methods,
			AnnualCost: d.cost, Currency: "EUR", NeededBy: at.AddDate(0, 1, 0).Format(time.DateOnly), Status: "submitted", RequesterID: head.ID}
		r.CreatedAt, r.UpdatedAt = at, at
		if err := models.CreateToolRequest(ctx, tx, r); err != nil {
			return err
		}
		prev := "submitted"
		for j, to := range d.path {
			at = at.Add(5 * time.Hour)
			actor, set := risk, map[string]any{"status": to}
			if to == "withdrawn" {
				actor = head
			}
			if prev == "legal_review" {
				actor = legal
			}
			if j == 0 && to != "withdrawn" {
				set["assignee_id"] = risk.ID
			}
			if to == "approved" || to == "approved_with_conditions" || to == "rejected" {
				set["decided_by_id"], set["decided_at"], set["conditions"] = actor.ID, at, d.conditions
			}
			if _, err := models.UpdateToolRequest(ctx, tx, r.ID, 0, set); err != nil {
				return err
			}
			ev := &models.ToolRequestEvent{RequestID: r.ID, ActorID: actor.ID, Kind: "status", FromStatus: prev, ToStatus: to}
			ev.CreatedAt = at
			if err := models.AddRequestEvent(ctx, tx, ev); err != nil {
				return err
			}
			if j == 0 && d.question != "" {
				for k, c := range []struct {
					who  *models.User
					body string
				}{{risk, d.question}, {head, d.answer}} {
					ev := &models.ToolRequestEvent{RequestID: r.ID, ActorID: c.who.ID, Kind: "comment", Body: c.body}
					ev.CreatedAt = at.Add(time.Duration(k+1) * time.Hour)
					if err := models.AddRequestEvent(ctx, tx, ev); err != nil {
						return err
					}
				}
			}
			prev = to
		}
	}
	return nil
}
