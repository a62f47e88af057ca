package assessments

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/models"
)

// Thread names an assessment's mail threads; each invitation starts one
// of its own (InvitationThread).
func Thread(assessmentID string) string { return "assessment:" + assessmentID }

// InvitationThread is the thread one invitation starts: each new link
// starts its own, so that its Message-ID is new (mail programs drop a
// message whose Message-ID they have seen) and the reminders that follow
// thread under the message holding the link that works.
func InvitationThread(inv *models.PortalInvitation) string {
	return Thread(inv.AssessmentID) + ":" + inv.ID
}

// noticeInvitation mails the portal link to the contact. The link is in
// this message only: reminders point back to it (they thread under it), so
// no live credential is kept anywhere else.
//
// replaces says the contact had a link that this one replaces.
func (s *Service) noticeInvitation(ctx context.Context, tx *gorm.DB, p *auth.Principal, a *models.Assessment, inv *models.PortalInvitation, link string, replaces bool) error {
	if s.Notify == nil {
		return nil
	}
	v, err := models.GetVendor(ctx, tx, a.VendorID)
	if err != nil {
		return err
	}
	org := s.Notify.Org(ctx, tx)
	due := ""
	if a.DueDate != "" {
		due = " by " + a.DueDate
	}
	body := fmt.Sprintf("%s at %s asks %s to answer the security questionnaire %q%s.\n\n"+
		"The link below is personal to you and works until %s. You can save your answers and come back; "+
		"submit when you are done.\n\nQuestions about it? Reply to this message to reach %s.",
		p.User.Name, org, v.Name, a.Title, due, inv.ExpiresAt.Format("2 January 2006"), p.User.Name)
	if replaces {
		body = "A new link was sent: the one in our earlier message no longer works.\n\n" + body
	}
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "vendor.invitation", Key: "vendor.invitation:" + inv.ID,
		ObjectType: "assessment", ObjectID: a.ID, Link: link,
		Title: fmt.Sprintf("%s security questionnaire for %s", org, v.Name), Body: body,
		To: []notify.Recipient{{Email: inv.ContactEmail, Name: a.ContactName}}, ReplyTo: &notify.Recipient{Email: p.User.Email, Name: p.User.Name},
		Thread: InvitationThread(inv), StartsThread: true})
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

// liveMain are the main links of an assessment that still work at now.
func liveMain(ctx context.Context, tx *gorm.DB, id string, now time.Time) ([]models.PortalInvitation, error) {
	live, err := liveInvitations(ctx, tx, id, now)
	return slices.DeleteFunc(live, func(inv models.PortalInvitation) bool { return inv.DelegatedBy != nil }), err
}

// liveInvitations are the links of an assessment that still work at now.
func liveInvitations(ctx context.Context, tx *gorm.DB, id string, now time.Time) ([]models.PortalInvitation, error) {
	all, err := models.Invitations(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	var out []models.PortalInvitation
	for _, inv := range all {
		if inv.RevokedAt == nil && now.Before(inv.ExpiresAt) {
			out = append(out, inv)
		}
	}
	return out, nil
}

// noticeRevoked tells the contacts of links that stopped working, with
// why (one sentence), in each link's thread. Each invitation is told once.
func (s *Service) noticeRevoked(ctx context.Context, tx *gorm.DB, p *auth.Principal, a *models.Assessment, revoked []models.PortalInvitation, why string) error {
	if s.Notify == nil || len(revoked) == 0 {
		return nil
	}
	v, err := models.GetVendor(ctx, tx, a.VendorID)
	if err != nil {
		return err
	}
	org := s.Notify.Org(ctx, tx)
	for _, inv := range revoked {
		body := fmt.Sprintf("The link to %s's security questionnaire %q that was sent to you no longer works. %s\n\n"+
			"Questions about it? Reply to this message to reach %s.", org, a.Title, why, p.User.Name)
		err := s.Notify.Emit(ctx, tx, notify.Event{Kind: "vendor.link_revoked", Key: "vendor.link_revoked:" + inv.ID,
			ObjectType: "assessment", ObjectID: a.ID,
			Title: fmt.Sprintf("%s security questionnaire for %s: link no longer valid", org, v.Name), Body: body,
			To: []notify.Recipient{{Email: inv.ContactEmail}}, ReplyTo: &notify.Recipient{Email: p.User.Email, Name: p.User.Name},
			Thread: InvitationThread(&inv)})
		if err != nil {
			return err
		}
	}
	return nil
}

// vendorRecipient is whom a mail to the vendor goes to: the contact of
// the live invitation, in its thread, else the assessment's contact.
func (s *Service) vendorRecipient(ctx context.Context, tx *gorm.DB, a *models.Assessment) (to, thread string, err error) {
	live, err := liveInvitations(ctx, tx, a.ID, s.now())
	if err != nil {
		return "", "", err
	}
	for _, inv := range live {
		// The main contact hears of the assessment as a whole; delegates
		// answer their sections only.
		if inv.DelegatedBy == nil {
			return inv.ContactEmail, InvitationThread(&inv), nil
		}
	}
	return a.ContactEmail, "", nil
}

// noticeFollowUp asks the vendor contact to answer the questions sent
// back, in the invitation's thread. Like the reminders it carries no
// link: the invitation holds it.
func (s *Service) noticeFollowUp(ctx context.Context, tx *gorm.DB, p *auth.Principal, st *State) error {
	if s.Notify == nil {
		return nil
	}
	a := st.Assessment
	to, thread, err := s.vendorRecipient(ctx, tx, a)
	if err != nil || to == "" {
		return err
	}
	v, err := models.GetVendor(ctx, tx, a.VendorID)
	if err != nil {
		return err
	}
	var asks []string
	for _, key := range st.FollowUps() {
		line := "- " + key
		if c := st.Answers[key].ReviewComment; c != "" {
			line += ": " + c
		}
		asks = append(asks, line)
	}
	org := s.Notify.Org(ctx, tx)
	body := fmt.Sprintf("%s at %s reviewed %s's answers to %q and asks for more on %d question(s):\n%s\n\n"+
		"Open the questionnaire with the link in the first message of this thread, change those answers and submit again. "+
		"If the link no longer works, reply to this message to ask %s for a new one.",
		p.User.Name, org, v.Name, a.Title, len(asks), strings.Join(asks, "\n"), p.User.Name)
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "vendor.follow_up", Key: "vendor.follow_up:" + a.ID + ":" + strconv.FormatInt(a.Version, 10),
		ObjectType: "assessment", ObjectID: a.ID,
		Title: fmt.Sprintf("%s security questionnaire for %s: follow-up questions", org, v.Name), Body: body,
		To: []notify.Recipient{{Email: to, Name: a.ContactName}}, ReplyTo: &notify.Recipient{Email: p.User.Email, Name: p.User.Name},
		Thread: thread})
}
