package handlers

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/labstack/echo/v4"

	"rampart/app/authz"
	"rampart/models"
)

type feedResponse struct {
	// URL is the secret feed address for calendar apps. It is shown this
	// once; making a new one ends the old one.
	URL string `json:"url"`
}

func feedHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// createCalendarFeed makes the caller's secret iCalendar URL (replacing
// any earlier one).
func (s *Server) createCalendarFeed(c echo.Context) error {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token := "rcf_" + base64.RawURLEncoding.EncodeToString(b)
	p := principalOf(c)
	if err := models.ReplaceCalendarFeed(c.Request().Context(), s.deps.DB.Gorm, p.User.ID, feedHash(token)); err != nil {
		return err
	}
	_ = s.recordSimple(c, "calendar_feed.create")
	return c.JSON(http.StatusCreated, feedResponse{URL: s.deps.BaseURL + "/api/v1/calendar/feed/" + token + ".ics"})
}

type feedStatus struct {
	Active    bool       `json:"active" description:"the caller has a live feed URL (the URL itself is never shown again)"`
	CreatedAt *time.Time `json:"created_at"`
}

// calendarFeedStatus says whether the caller has a live feed, so the web
// app offers to stop only a feed that exists.
func (s *Server) calendarFeedStatus(c echo.Context) error {
	f, err := models.ActiveCalendarFeed(c.Request().Context(), s.deps.DB.Gorm, principalOf(c).User.ID)
	if errors.Is(err, models.ErrNotFound) {
		return c.JSON(http.StatusOK, feedStatus{})
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, feedStatus{Active: true, CreatedAt: &f.CreatedAt})
}

func (s *Server) revokeCalendarFeed(c echo.Context) error {
	if err := models.RevokeCalendarFeeds(c.Request().Context(), s.deps.DB.Gorm, principalOf(c).User.ID); err != nil {
		return err
	}
	_ = s.recordSimple(c, "calendar_feed.revoke")
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) recordSimple(c echo.Context, action string) error {
	p := principalOf(c)
	typ, id, label := p.Actor()
	o := s.origin(c)
	return models.AppendAudit(c.Request().Context(), s.deps.DB.Gorm, &models.AuditEvent{ActorType: typ, ActorID: id, ActorLabel: label,
		Action: action, ObjectType: "user", ObjectID: p.User.ID, RequestID: o.RequestID, ClientIP: o.ClientIP})
}

type feedToken struct {
	Token string `path:"token" description:"the secret from POST /calendar/feed, followed by .ics"`
}

// calendarFeed serves the deadlines from today to a year ahead as
// iCalendar to the holder of a feed URL: calendar apps cannot sign in, so
// the URL is the secret. A deactivated user's or a revoked feed answers
// 404. Past deadlines are left out: a calendar app keeps what it saw.
func (s *Server) calendarFeed(c echo.Context) error {
	token := strings.TrimSuffix(c.Param("token"), ".ics")
	if !strings.HasPrefix(token, "rcf_") || len(token) > 100 {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	u, err := models.CalendarFeedUser(ctx, s.deps.DB.Gorm, feedHash(token))
	if err != nil || !u.Active || !authz.Can(u.Role, authz.DashboardRead) {
		return echo.ErrNotFound
	}
	// The feed is read without a session: it carries its owner's unit
	// scope itself.
	if ctx, err = s.unitContext(ctx, u); err != nil {
		return err
	}
	today := s.deps.Now().UTC()
	events, err := models.Deadlines(ctx, s.deps.DB.Gorm, today.Format(time.DateOnly), today.AddDate(1, 0, 0).Format(time.DateOnly))
	if err != nil {
		return err
	}
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//Rampart//Deadlines//EN")
	cal.SetName("Rampart deadlines")
	for _, e := range events {
		d, err := time.Parse(time.DateOnly, e.Date)
		if err != nil {
			continue
		}
		link := s.deps.BaseURL + "/" + e.ObjectType + "s/" + e.ObjectID
		ev := cal.AddEvent(e.Kind + "-" + e.ObjectID + "@rampart")
		ev.SetDtStampTime(today)
		ev.SetAllDayStartAt(d)
		ev.SetAllDayEndAt(d.AddDate(0, 0, 1))
		ev.SetSummary(e.Title)
		ev.SetURL(link)
		kind := deadlineKinds[e.Kind]
		desc := kind.what
		if e.VendorName != "" {
			desc += "\nVendor: " + e.VendorName
		}
		ev.SetDescription(desc + "\nOpen in Rampart: " + link)
		if kind.remindDays > 0 {
			alarm := ev.AddAlarm()
			alarm.SetAction(ics.ActionDisplay)
			alarm.SetTrigger("-P" + strconv.Itoa(kind.remindDays) + "D")
			alarm.SetDescription(e.Title)
		}
	}
	c.Response().Header().Set(echo.HeaderContentType, "text/calendar; charset=utf-8")
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
	// RFC 5545 ends every content line with CRLF.
	return c.String(http.StatusOK, cal.Serialize(ics.WithNewLineWindows))
}

// deadlineKinds says what each deadline means and how many days ahead a
// calendar app should remind: a cancel-by date needs time to act on.
var deadlineKinds = map[string]struct {
	what       string
	remindDays int
}{
	"cancel_by":   {"Last day to give notice so that the contract does not renew on its own.", 14},
	"term_end":    {"The contract's current term ends.", 7},
	"review_due":  {"The vendor's periodic reassessment is due.", 7},
	"finding_due": {"The remediation of this finding is due.", 1},
}
