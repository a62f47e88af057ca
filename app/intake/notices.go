package intake

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/models"
)

// stageActors are the roles told that a request waits at each open
// stage (the moves table says who may act; administrators may act
// everywhere, so they are told only when no one else would be).
var stageActors = map[string][]models.Role{
	"submitted":       {models.RoleRiskManager},
	"triage":          {models.RoleRiskManager},
	"security_review": {models.RoleRiskManager},
	"legal_review":    {models.RoleLegal},
}

var stageWords = map[string]string{
	"submitted": "is waiting for triage", "triage": "is in triage", "security_review": "is waiting for the security review",
	"legal_review": "is waiting for the legal review",
}

// awaiting returns who acts on r at its stage: its assignee when the
// assignee can move it from there, else the stage's role, else the
// administrators; never actor.
func (s *Service) awaiting(ctx context.Context, tx *gorm.DB, r *models.ToolRequest, actor string) ([]notify.Recipient, error) {
	if Terminal(r.Status) {
		return nil, nil
	}
	if r.AssigneeID != nil {
		u, err := models.UserByID(ctx, tx, *r.AssigneeID)
		if err != nil {
			return nil, err
		}
		if u.Active && canMoveFrom(r.Status, u.Role) {
			if u.ID == actor {
				return nil, nil
			}
			return []notify.Recipient{{UserID: u.ID}}, nil
		}
	}
	ids, err := models.ActiveUserIDsByRole(ctx, tx, stageActors[r.Status]...)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		if ids, err = models.ActiveUserIDsByRole(ctx, tx, models.RoleAdmin); err != nil {
			return nil, err
		}
	}
	var to []notify.Recipient
	for _, id := range ids {
		if id != actor {
			to = append(to, notify.Recipient{UserID: id})
		}
	}
	return to, nil
}

// canMoveFrom reports whether role may move a request on from status.
func canMoveFrom(status string, role models.Role) bool {
	for _, roles := range moves[status] {
		if slices.Contains(roles, role) {
			return true
		}
	}
	return false
}

// noticeAwaiting tells the people who act at r's stage that it waits for
// them. The key names the stage and the version, so each arrival at a
// stage is told once.
func (s *Service) noticeAwaiting(ctx context.Context, tx *gorm.DB, p *auth.Principal, r *models.ToolRequest) error {
	if s.Notify == nil {
		return nil
	}
	to, err := s.awaiting(ctx, tx, r, p.User.ID)
	if err != nil || len(to) == 0 {
		return err
	}
	body := fmt.Sprintf("The request %q for %s %s.", r.Title, r.VendorName, stageWords[r.Status])
	if r.NeededBy != "" {
		body += "\n\nThe requester needs it by " + r.NeededBy + "."
	}
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "request.awaiting",
		Key:        "request.awaiting:" + r.ID + ":" + r.Status + ":" + strconv.FormatInt(r.Version, 10),
		ObjectType: "request", ObjectID: r.ID, Link: "/requests/" + r.ID,
		Title: "Request waiting for you: " + r.Title, Body: body, To: to})
}

// noticeChange tells, after a change to a request, the people it now
// waits for (a new stage or a new assignee) and, on a decision, the
// requester.
func (s *Service) noticeChange(ctx context.Context, tx *gorm.DB, p *auth.Principal, before, after *models.ToolRequest) error {
	if s.Notify == nil {
		return nil
	}
	if before.Status != after.Status && slices.Contains(Decisions, after.Status) {
		return s.noticeDecided(ctx, tx, p, after)
	}
	reassigned := after.AssigneeID != nil && (before.AssigneeID == nil || *before.AssigneeID != *after.AssigneeID)
	if before.Status != after.Status || reassigned {
		return s.noticeAwaiting(ctx, tx, p, after)
	}
	return nil
}

var decisionWords = map[string]string{"approved": "approved", "approved_with_conditions": "approved with conditions", "rejected": "rejected"}

// noticeDecided tells the requester how their request was decided.
func (s *Service) noticeDecided(ctx context.Context, tx *gorm.DB, p *auth.Principal, r *models.ToolRequest) error {
	if r.RequesterID == p.User.ID {
		return nil
	}
	body := fmt.Sprintf("%s %s your request %q for %s.", p.User.Name, decisionWords[r.Status], r.Title, r.VendorName)
	if c := strings.TrimSpace(r.Conditions); c != "" {
		body += "\n\nConditions: " + c
	}
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "request.decided", Key: "request.decided:" + r.ID,
		ObjectType: "request", ObjectID: r.ID, Link: "/requests/" + r.ID,
		Title: "Request " + decisionWords[r.Status] + ": " + r.Title, Body: body, To: []notify.Recipient{{UserID: r.RequesterID}}})
}
