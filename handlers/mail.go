package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/notify"
	"rampart/models"
)

// The mail delivery log (the demo outbox under --demo), for admins: every
// message in full, its tries, resend, and the clock's scheduled tasks.

type mailSummary struct {
	ID            string     `json:"id"`
	Kind          string     `json:"kind"`
	KindLabel     string     `json:"kind_label"`
	ToEmail       string     `json:"to_email"`
	ToName        string     `json:"to_name"`
	Subject       string     `json:"subject"`
	Status        string     `json:"status" enum:"queued,sending,sent,failed,held"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error"`
	ObjectType    string     `json:"object_type"`
	ObjectID      string     `json:"object_id"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	SentAt        *time.Time `json:"sent_at"`
	CreatedAt     time.Time  `json:"created_at"`
}

func kindLabel(key string) string {
	if k, ok := notify.KindByKey(key); ok {
		return k.Label
	}
	return key
}

func toMailSummary(m *models.MailMessage) mailSummary {
	return mailSummary{ID: m.ID, Kind: m.Kind, KindLabel: kindLabel(m.Kind), ToEmail: m.ToEmail, ToName: m.ToName, Subject: m.Subject,
		Status: m.Status, Attempts: m.Attempts, LastError: m.LastError, ObjectType: m.ObjectType, ObjectID: m.ObjectID,
		NextAttemptAt: m.NextAttemptAt, SentAt: m.SentAt, CreatedAt: m.CreatedAt}
}

var mailStatuses = []string{models.MailQueued, models.MailSending, models.MailSent, models.MailFailed, models.MailHeld}

type mailQuery struct {
	Status string `query:"status" enum:"queued,sending,sent,failed,held"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor string `query:"cursor"`
}

func (s *Server) listMail(c echo.Context) error {
	q := parseQuery(c, "status")
	f := models.MailFilter{Status: q.oneOf("status", mailStatuses...), Cursor: q.values.Get("cursor"), Limit: q.limit()}
	if q.values.Get("sort") != "" {
		q.fail("sort", "is not supported: messages come newest first")
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := models.ListMail(c.Request().Context(), s.deps.DB.Gorm, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(page, toMailSummary))
}

type mailAttemptResponse struct {
	Instance string    `json:"instance"`
	Outcome  string    `json:"outcome" enum:"sent,retry,failed"`
	Error    string    `json:"error"`
	At       time.Time `json:"at"`
}

type mailDetail struct {
	mailSummary
	ReplyTo   string                `json:"reply_to"`
	TextBody  string                `json:"text_body"`
	HTMLBody  string                `json:"html_body" description:"the HTML part as sent; show it only in a sandboxed frame"`
	MessageID string                `json:"message_id"`
	ThreadID  string                `json:"thread_id"`
	Bounce    string                `json:"bounce" description:"why the address was refused for good, when it was"`
	Log       []mailAttemptResponse `json:"log" description:"the delivery tries, oldest first"`
}

type mailIDParam struct {
	ID string `path:"id"`
}

func (s *Server) getMail(c echo.Context) error {
	ctx := c.Request().Context()
	m, log, err := models.GetMail(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	bounces, err := models.Bounces(ctx, s.deps.DB.Gorm, []string{m.ToEmail})
	if err != nil {
		return err
	}
	out := mailDetail{mailSummary: toMailSummary(m), ReplyTo: m.ReplyTo, TextBody: m.TextBody, HTMLBody: m.HTMLBody,
		MessageID: m.MessageID, ThreadID: m.ThreadID, Bounce: bounces[m.ToEmail], Log: []mailAttemptResponse{}}
	for _, a := range log {
		out.Log = append(out.Log, mailAttemptResponse{Instance: a.Instance, Outcome: a.Outcome, Error: a.Error, At: a.CreatedAt})
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) resendMail(c echo.Context) error {
	if _, err := notify.Resend(c.Request().Context(), s.deps.DB.Gorm, principalOf(c), s.origin(c), c.Param("id"), s.deps.Now().UTC()); err != nil {
		return err
	}
	return s.getMail(c)
}

type scheduleResponse struct {
	Name           string     `json:"name"`
	NextRunAt      time.Time  `json:"next_run_at"`
	Running        bool       `json:"running" description:"an instance holds this round now"`
	LastStartedAt  *time.Time `json:"last_started_at"`
	LastFinishedAt *time.Time `json:"last_finished_at"`
	LastError      string     `json:"last_error"`
	Runs           int64      `json:"runs"`
}

type mailStatusResponse struct {
	Mode      string             `json:"mode" enum:"off,on,demo"`
	Reason    string             `json:"reason" description:"why mail is in this mode and how to change it"`
	Counts    map[string]int64   `json:"counts" description:"messages by status"`
	Schedules []scheduleResponse `json:"schedules"`
}

// mailModeReason says in words what the mode means and how to change it.
func mailModeReason(m notify.Mode) string {
	switch m {
	case notify.MailOn:
		return "Messages go to the SMTP server set in RAMPART_SMTP_URL."
	case notify.MailDemo:
		return "Demo mode without an SMTP server: messages are held in the demo outbox below and never leave. Set RAMPART_SMTP_URL (smtp://user:pass@host:587) to send them."
	}
	return "No SMTP server is set: notices reach the bell only, and vendors get no email (copy the questionnaire link by hand). Set RAMPART_SMTP_URL (smtp://user:pass@host:587 or smtps://…) and RAMPART_MAIL_FROM, then restart."
}

func (s *Server) mailStatus(c echo.Context) error {
	ctx := c.Request().Context()
	counts, err := models.MailCounts(ctx, s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	for _, st := range mailStatuses {
		if _, ok := counts[st]; !ok {
			counts[st] = 0
		}
	}
	sched, err := models.Schedules(ctx, s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	now := s.deps.Now()
	out := mailStatusResponse{Mode: s.deps.Notify.Mode.String(), Reason: mailModeReason(s.deps.Notify.Mode), Counts: counts, Schedules: []scheduleResponse{}}
	for _, t := range sched {
		out.Schedules = append(out.Schedules, scheduleResponse{Name: t.Name, NextRunAt: t.NextRunAt, Running: t.LockedUntil != nil && t.LockedUntil.After(now),
			LastStartedAt: t.LastStartedAt, LastFinishedAt: t.LastFinishedAt, LastError: t.LastError, Runs: t.Runs})
	}
	return c.JSON(http.StatusOK, out)
}

// objectMailResponse is what staff who can see an assessment see of the
// vendor's mails about it: never the body, which carries the portal link.
type objectMailResponse struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	KindLabel string     `json:"kind_label"`
	ToEmail   string     `json:"to_email"`
	ToName    string     `json:"to_name"`
	Subject   string     `json:"subject"`
	Status    string     `json:"status" enum:"queued,sending,sent,failed,held"`
	LastError string     `json:"last_error"`
	Bounce    string     `json:"bounce" description:"why the address was refused for good, when it was"`
	SentAt    *time.Time `json:"sent_at"`
	CreatedAt time.Time  `json:"created_at"`
}

func vendorKinds() []string {
	var out []string
	for _, k := range notify.Kinds {
		if k.Vendor {
			out = append(out, k.Key)
		}
	}
	return out
}

func (s *Server) assessmentMail(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := models.GetAssessment(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	ms, err := models.ObjectMail(ctx, s.deps.DB.Gorm, "assessment", a.ID, vendorKinds(), models.MaxLimit)
	if err != nil {
		return err
	}
	var addrs []string
	for _, m := range ms {
		addrs = append(addrs, m.ToEmail)
	}
	bounces, err := models.Bounces(ctx, s.deps.DB.Gorm, addrs)
	if err != nil {
		return err
	}
	out := listResponse[objectMailResponse]{Items: []objectMailResponse{}, Total: int64(len(ms))}
	for _, m := range ms {
		out.Items = append(out.Items, objectMailResponse{ID: m.ID, Kind: m.Kind, KindLabel: kindLabel(m.Kind), ToEmail: m.ToEmail, ToName: m.ToName,
			Subject: m.Subject, Status: m.Status, LastError: m.LastError, Bounce: bounces[m.ToEmail], SentAt: m.SentAt, CreatedAt: m.CreatedAt})
	}
	return c.JSON(http.StatusOK, out)
}

type bounceResponse struct {
	Email  string `json:"email"`
	Reason string `json:"reason"`
}

// vendorBounces lists the vendor's contact addresses the mail server
// refused for good, with why.
func (s *Server) vendorBounces(c echo.Context) error {
	ctx := c.Request().Context()
	v, err := models.GetVendor(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	var addrs []string
	for _, ct := range v.Contacts {
		if e := models.NormalizeEmail(ct.Email); e != "" {
			addrs = append(addrs, e)
		}
	}
	bounces, err := models.Bounces(ctx, s.deps.DB.Gorm, addrs)
	if err != nil {
		return err
	}
	out := listResponse[bounceResponse]{Items: []bounceResponse{}}
	for _, a := range addrs {
		if r, ok := bounces[a]; ok {
			out.Items = append(out.Items, bounceResponse{Email: a, Reason: r})
			delete(bounces, a)
		}
	}
	out.Total = int64(len(out.Items))
	return c.JSON(http.StatusOK, out)
}
