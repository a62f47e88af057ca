package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/assessments"
	"rampart/models"
)

// The conversation on each question of an assessment, for staff and for
// the vendor's portal link. Bodies are plain text; clients show them as
// text, never as markup.

type messageFileView struct {
	ID          string `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Sha256      string `json:"sha256"`
	// URL downloads the file (same session).
	URL string `json:"url"`
}

type messageView struct {
	ID          string            `json:"id"`
	QuestionKey string            `json:"question_key"`
	AuthorKind  string            `json:"author_kind" enum:"staff,vendor"`
	AuthorID    *string           `json:"author_id" description:"the staff author; null for the vendor"`
	AuthorName  string            `json:"author_name"`
	AuthorEmail string            `json:"author_email"`
	Body        string            `json:"body" description:"plain text, shown as written"`
	Files       []messageFileView `json:"files"`
	CreatedAt   time.Time         `json:"created_at"`
}

type portalMessageFile struct {
	ID       string `json:"id"`
	Filename string `json:"filename"`
	Size     int64  `json:"size"`
}

// portalMessage is a message as the vendor sees it: staff are named, not
// addressed.
type portalMessage struct {
	ID         string              `json:"id"`
	AuthorKind string              `json:"author_kind" enum:"staff,vendor"`
	AuthorName string              `json:"author_name"`
	Body       string              `json:"body" description:"plain text, shown as written"`
	Files      []portalMessageFile `json:"files"`
	CreatedAt  time.Time           `json:"created_at"`
}

type answerThreadParam struct {
	ID  string `path:"id"`
	Key string `path:"key" description:"the question key exactly as published, percent-encoded"`
}

type portalThreadParam struct {
	Token string `path:"token"`
	Key   string `path:"key" description:"the question key exactly as published, percent-encoded"`
}

type messageForm struct {
	ID   string                `path:"id"`
	Key  string                `path:"key" description:"the question key exactly as published, percent-encoded"`
	Body string                `formData:"body" description:"plain text, at most 5,000 characters; send it before the file; may be empty when a file is attached"`
	File *multipart.FileHeader `formData:"file" description:"optional: PDF, PNG, JPEG, DOCX, XLSX, text or CSV; at most 25 MB; the type is detected from the content"`
}

type portalMessageForm struct {
	Token string                `path:"token"`
	Key   string                `path:"key" description:"the question key exactly as published, percent-encoded"`
	Body  string                `formData:"body" description:"plain text, at most 5,000 characters; send it before the file; may be empty when a file is attached"`
	File  *multipart.FileHeader `formData:"file" description:"optional: PDF, PNG, JPEG, DOCX, XLSX, text or CSV; at most 25 MB; the type is detected from the content; counts towards the questionnaire's upload quota"`
}

type messageFileParam struct {
	ID     string `path:"id"`
	FileID string `path:"file_id"`
}

type portalMessageFileParam struct {
	Token  string `path:"token"`
	FileID string `path:"file_id"`
}

func toMessageView(m *assessments.Message) messageView {
	out := messageView{ID: m.ID, QuestionKey: m.QuestionKey, AuthorKind: m.AuthorKind, AuthorID: m.AuthorID, AuthorName: m.AuthorName,
		AuthorEmail: m.AuthorEmail, Body: m.Body, Files: []messageFileView{}, CreatedAt: m.CreatedAt}
	for _, f := range m.Files {
		out.Files = append(out.Files, messageFileView{ID: f.ID, Filename: f.Filename, ContentType: f.ContentType, Size: f.Size, Sha256: f.Sha256,
			URL: "/api/v1/assessments/" + m.AssessmentID + "/message-files/" + f.ID})
	}
	return out
}

func toPortalMessage(m *assessments.Message) portalMessage {
	out := portalMessage{ID: m.ID, AuthorKind: m.AuthorKind, AuthorName: m.AuthorName, Body: m.Body, Files: []portalMessageFile{}, CreatedAt: m.CreatedAt}
	for _, f := range m.Files {
		out.Files = append(out.Files, portalMessageFile{ID: f.ID, Filename: f.Filename, Size: f.Size})
	}
	return out
}

// readMessageForm reads a message's multipart body in order: the "body"
// field (refused past the length limit without reading on), then an
// optional "file" part, handed to post while it is still arriving. Short
// fields named in extra (a flag) are read into it when they come first.
func readMessageForm(c echo.Context, extra map[string]*string, post func(body string, up *assessments.Upload) error) error {
	mr, err := c.Request().MultipartReader()
	if err != nil {
		return &requestError{status: http.StatusUnsupportedMediaType, detail: "Send the message as multipart/form-data: the text in the field \"body\", a file in the field \"file\"."}
	}
	body := ""
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return post(body, nil)
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return err
			}
			return malformed("The multipart body could not be read.")
		}
		dst, isExtra := extra[part.FormName()]
		switch {
		case isExtra:
			b, _ := io.ReadAll(io.LimitReader(part, 20))
			part.Close()
			*dst = string(b)
		case part.FormName() == "body":
			// Four bytes a character at most: anything longer is too long.
			b, _ := io.ReadAll(io.LimitReader(part, 4*assessments.MaxMessage+1))
			part.Close()
			if len(b) > 4*assessments.MaxMessage {
				return fieldError("body", fmt.Sprintf("must be at most %d characters long", assessments.MaxMessage))
			}
			if bytes.IndexByte(b, 0) >= 0 {
				return nulError("body")
			}
			body = string(b)
		case part.FormName() == "file" && part.FileName() != "":
			err := post(body, &assessments.Upload{Name: part.FileName(), Body: part})
			part.Close()
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return malformed("The upload was interrupted before the file was complete; nothing was saved.")
			}
			return err
		default:
			part.Close()
		}
	}
}

func (s *Server) listAnswerMessages(c echo.Context) error {
	ctx := c.Request().Context()
	key, err := questionKeyParam(c)
	if err != nil {
		return err
	}
	a, err := s.assessmentService().Asked(ctx, c.Param("id"), key)
	if err != nil {
		return err
	}
	msgs, err := assessments.Messages(ctx, s.deps.DB.Gorm, a.ID, key)
	if err != nil {
		return err
	}
	out := make([]messageView, 0, len(msgs))
	for i := range msgs {
		out = append(out, toMessageView(&msgs[i]))
	}
	return c.JSON(http.StatusOK, map[string][]messageView{"items": out})
}

func (s *Server) postAnswerMessage(c echo.Context) error {
	key, err := questionKeyParam(c)
	if err != nil {
		return err
	}
	var out *assessments.Message
	err = readMessageForm(c, nil, func(body string, up *assessments.Upload) (err error) {
		out, err = s.assessmentService().StaffMessage(c.Request().Context(), s.deps.Files, principalOf(c), c.Param("id"), key, body, up, s.origin(c))
		return err
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toMessageView(out))
}

// readAnswerMessages marks the thread read for the caller, which clears
// the question's unread count in the review.
func (s *Server) readAnswerMessages(c echo.Context) error {
	ctx := c.Request().Context()
	key, err := questionKeyParam(c)
	if err != nil {
		return err
	}
	a, err := s.assessmentService().Asked(ctx, c.Param("id"), key)
	if err != nil {
		return err
	}
	// Read up to the newest message, even should this clock lag the one
	// that stamped it.
	upTo := s.deps.Now().UTC()
	msgs, err := models.AnswerMessages(ctx, s.deps.DB.Gorm, a.ID, key)
	if err != nil {
		return err
	}
	if n := len(msgs); n > 0 && msgs[n-1].CreatedAt.After(upTo) {
		upTo = msgs[n-1].CreatedAt
	}
	if err := models.MarkThreadRead(ctx, s.deps.DB.Gorm, a.ID, key, principalOf(c).User.ID, upTo); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) downloadMessageFile(c echo.Context) error {
	f, err := models.AnswerMessageFileByID(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"), c.Param("file_id"))
	if err != nil {
		return err
	}
	return s.serveFile(c, f.StorageKey, f.Filename, f.ContentType, f.Size, f.Sha256)
}

func (s *Server) portalListMessages(c echo.Context) error {
	ctx := c.Request().Context()
	key, err := questionKeyParam(c)
	if err != nil {
		return err
	}
	st, inv, err := s.assessmentService().Portal(ctx, c.Param("token"))
	if err != nil {
		return err
	}
	if !st.InScope(inv, key) {
		return models.ErrNotFound
	}
	msgs, err := assessments.Messages(ctx, s.deps.DB.Gorm, st.Assessment.ID, key)
	if err != nil {
		return err
	}
	out := make([]portalMessage, 0, len(msgs))
	for i := range msgs {
		out = append(out, toPortalMessage(&msgs[i]))
	}
	return c.JSON(http.StatusOK, map[string][]portalMessage{"items": out})
}

func (s *Server) portalPostMessage(c echo.Context) error {
	key, err := questionKeyParam(c)
	if err != nil {
		return err
	}
	var out *assessments.Message
	err = readMessageForm(c, nil, func(body string, up *assessments.Upload) (err error) {
		out, err = s.assessmentService().PortalMessage(c.Request().Context(), s.deps.Files, c.Param("token"), key, body, up, s.origin(c))
		return err
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toPortalMessage(out))
}

func (s *Server) portalDownloadMessageFile(c echo.Context) error {
	ctx := c.Request().Context()
	st, inv, err := s.assessmentService().Portal(ctx, c.Param("token"))
	if err != nil {
		return err
	}
	f, err := models.AnswerMessageFileByID(ctx, s.deps.DB.Gorm, st.Assessment.ID, c.Param("file_id"))
	if err != nil {
		return err
	}
	if key, err := models.MessageQuestion(ctx, s.deps.DB.Gorm, st.Assessment.ID, f.MessageID); err != nil {
		return err
	} else if !st.InScope(inv, key) {
		return models.ErrNotFound
	}
	return s.serveFile(c, f.StorageKey, f.Filename, f.ContentType, f.Size, f.Sha256)
}
