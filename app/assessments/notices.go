package assessments

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/models"
)

// Thread names the mail thread of an assessment's messages to one
// contact, so that reminders and chasers thread under the invitation.
func Thread(assessmentID string) string { return "assessment:" + assessmentID }

// noticeInvitation mails the portal link to the contact. The link is in
// this message only: reminders point back to it (they thread under it), so
// no live credential is kept anywhere else.
func (s *Service) noticeInvitation(ctx context.Context, tx *gorm.DB, p *auth.Principal, a *models.Assessment, inv *models.PortalInvitation, link string) error {
	if s.Notify == nil {
		return nil
	}
	v, err := models.GetVendor(ctx, tx, a.VendorID)
	if err != nil {
		return err
	}
	org := s.Notify.OrgName
	due := ""
	if a.DueDate != "" {
		due = " by " + a.DueDate
	}
	body := fmt.Sprintf("%s at %s asks %s to answer the security questionnaire %q%s.\n\n"+
		"The link below is personal to you and works until %s. You can save your answers and come back; "+
		"submit when you are done.\n\nQuestions about it? Reply to this message to reach %s.",
		p.User.Name, org, v.Name, a.Title, due, inv.ExpiresAt.Format("2 January 2006"), p.User.Name)
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "vendor.invitation", Key: "vendor.invitation:" + inv.ID,
		ObjectType: "assessment", ObjectID: a.ID, Link: link,
		Title: fmt.Sprintf("%s security questionnaire for %s", org, v.Name), Body: body,
		To: []notify.Recipient{{Email: inv.ContactEmail, Name: a.ContactName}}, ReplyTo: &notify.Recipient{Email: p.User.Email, Name: p.User.Name},
		Thread: Thread(a.ID), StartsThread: true})
}

// noticeSubmitted tells the reviewer (or, with none, whoever created the
// assessment) that the vendor submitted.
func (s *Service) noticeSubmitted(ctx context.Context, tx *gorm.DB, a *models.Assessment, at time.Time) error {
	if s.Notify == nil {
		return nil
	}
	to := a.ReviewerID
	if to == nil {
		to = a.CreatedBy
	}
	if to == nil {
		return nil
	}
	v, err := models.GetVendor(ctx, tx, a.VendorID)
	if err != nil {
		return err
	}
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "assessment.submitted", Key: "assessment.submitted:" + a.ID + ":" + at.Format(time.RFC3339),
		ObjectType: "assessment", ObjectID: a.ID, Link: "/assessments/" + a.ID,
		Title: fmt.Sprintf("%s submitted %q", v.Name, a.Title),
		Body:  "The vendor submitted its answers. Review them and mark each answer accepted, for follow-up or as a finding.",
		To:    []notify.Recipient{{UserID: *to}}})
}
