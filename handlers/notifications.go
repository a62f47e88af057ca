package handlers

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/notify"
	"rampart/models"
)

// The bell and notification preferences: every route here answers about
// the caller's own notices only; another person's notice does not exist
// for them.

type notificationResponse struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	KindLabel  string     `json:"kind_label"`
	Title      string     `json:"title"`
	Body       string     `json:"body"`
	Link       string     `json:"link" description:"the app's path to the object, e.g. /findings/<id>"`
	ObjectType string     `json:"object_type"`
	ObjectID   string     `json:"object_id"`
	ReadAt     *time.Time `json:"read_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

func toNotificationResponse(n *models.Notification) notificationResponse {
	label := n.Kind
	if k, ok := notify.KindByKey(n.Kind); ok {
		label = k.Label
	}
	return notificationResponse{ID: n.ID, Kind: n.Kind, KindLabel: label, Title: n.Title, Body: n.Body, Link: n.Link,
		ObjectType: n.ObjectType, ObjectID: n.ObjectID, ReadAt: n.ReadAt, CreatedAt: n.CreatedAt}
}

type notificationsQuery struct {
	Unread string `query:"unread" enum:"true,false" description:"true: only notices not read yet"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor string `query:"cursor"`
}

func (s *Server) listNotifications(c echo.Context) error {
	q := parseQuery(c, "unread")
	unread := q.boolean("unread")
	limit := q.limit()
	if q.values.Get("sort") != "" {
		q.fail("sort", "is not supported: notices come newest first")
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := models.ListNotifications(c.Request().Context(), s.deps.DB.Gorm, principalOf(c).User.ID,
		unread != nil && *unread, q.values.Get("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(page, toNotificationResponse))
}

type notificationIDParam struct {
	ID string `path:"id"`
}

func (s *Server) getNotification(c echo.Context) error {
	n, err := models.GetNotification(c.Request().Context(), s.deps.DB.Gorm, principalOf(c).User.ID, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toNotificationResponse(n))
}

type unreadCountResponse struct {
	Unread int64 `json:"unread"`
}

func (s *Server) unreadNotifications(c echo.Context) error {
	if err := parseQuery(c).err(); err != nil {
		return err
	}
	n, err := models.UnreadNotifications(c.Request().Context(), s.deps.DB.Gorm, principalOf(c).User.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, unreadCountResponse{Unread: n})
}

type markReadRequest struct {
	IDs []string `json:"ids" validate:"max=200,dive,required,max=64" description:"the notices to mark read; others' ids are ignored"`
	All bool     `json:"all" description:"mark every unread notice read (ids must then be empty)"`
}

type markReadResponse struct {
	Marked int64 `json:"marked" description:"how many notices changed from unread to read"`
	Unread int64 `json:"unread"`
}

func (s *Server) markNotificationsRead(c echo.Context) error {
	var req markReadRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	switch {
	case req.All && len(req.IDs) > 0:
		return models.Invalid("ids", "must be empty when all is true")
	case !req.All && len(req.IDs) == 0:
		return models.Invalid("ids", "name at least one notice, or send all: true")
	}
	ctx, user := c.Request().Context(), principalOf(c).User.ID
	// Scoped by the caller: another person's id matches no row.
	marked, err := models.MarkNotificationsRead(ctx, s.deps.DB.Gorm, user, req.IDs, s.deps.Now().UTC())
	if err != nil {
		return err
	}
	unread, err := models.UnreadNotifications(ctx, s.deps.DB.Gorm, user)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, markReadResponse{Marked: marked, Unread: unread})
}

type preferenceResponse struct {
	Kind       string `json:"kind"`
	Label      string `json:"label"`
	Recipients string `json:"recipients" description:"who receives this kind and when, in words"`
	Default    string `json:"default" enum:"in_app,email,digest,off"`
	Channel    string `json:"channel" enum:"in_app,email,digest,off" description:"the caller's choice, else the default"`
}

type preferencesResponse struct {
	Items    []preferenceResponse `json:"items"`
	Channels []string             `json:"channels" description:"the channels in the order to offer them"`
	MailMode string               `json:"mail_mode" enum:"off,on,demo" description:"off: email and digest reach the bell only until an SMTP server is set"`
}

func (s *Server) preferences(c echo.Context) error {
	ctx, user := c.Request().Context(), principalOf(c).User.ID
	prefs, err := models.NotificationPreferences(ctx, s.deps.DB.Gorm, user)
	if err != nil {
		return err
	}
	out := preferencesResponse{Items: []preferenceResponse{}, Channels: notify.Channels, MailMode: s.deps.Notify.Mode.String()}
	for _, k := range notify.Kinds {
		if k.Vendor {
			continue
		}
		ch := prefs[user][k.Key]
		if ch == "" {
			ch = k.Default
		}
		out.Items = append(out.Items, preferenceResponse{Kind: k.Key, Label: k.Label, Recipients: k.Recipients, Default: k.Default, Channel: ch})
	}
	return c.JSON(http.StatusOK, out)
}

type preferenceChoice struct {
	Kind    string `json:"kind" validate:"required,max=100"`
	Channel string `json:"channel" validate:"required,max=20" enum:"in_app,email,digest,off"`
}

type preferencesRequest struct {
	Preferences []preferenceChoice `json:"preferences" validate:"required,max=100,dive" description:"kinds not named keep their channel"`
}

func (s *Server) setPreferences(c echo.Context) error {
	var req preferencesRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	set := map[string]string{}
	var errs []models.FieldError
	for i, p := range req.Preferences {
		field := "preferences[" + strconv.Itoa(i) + "]"
		if k, ok := notify.KindByKey(p.Kind); !ok || k.Vendor {
			errs = append(errs, models.FieldError{Field: field + ".kind", Message: "is not a kind of notice one can choose: " + strconv.Quote(p.Kind)})
		} else if _, dup := set[p.Kind]; dup {
			errs = append(errs, models.FieldError{Field: field + ".kind", Message: "is named twice"})
		}
		if !slices.Contains(notify.Channels, p.Channel) {
			errs = append(errs, models.FieldError{Field: field + ".channel", Message: "must be one of: " + strings.Join(notify.Channels, ", ")})
		}
		set[p.Kind] = p.Channel
	}
	if len(errs) > 0 {
		return &models.ValidationError{Errors: errs}
	}
	if err := models.SetNotificationPreferences(c.Request().Context(), s.deps.DB.Gorm, principalOf(c).User.ID, set); err != nil {
		return err
	}
	return s.preferences(c)
}
