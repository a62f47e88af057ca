package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/models"
)

type businessUnitResponse struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Archived    bool      `json:"archived" description:"archived units keep their objects and people but are offered for no new assignment"`
	Version     int64     `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func toBusinessUnitResponse(u *models.BusinessUnit) businessUnitResponse {
	return businessUnitResponse{ID: u.ID, Name: u.Name, Description: u.Description, Archived: u.Archived,
		Version: u.Version, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

type businessUnitsQuery struct {
	Archived string `query:"archived" enum:"true,false" description:"true: archived units too"`
}

type businessUnitsResponse struct {
	Items []businessUnitResponse `json:"items"`
	// Scoped says the caller sees only their own units.
	Scoped bool `json:"scoped" description:"the caller is scoped to the units listed and sees only their objects"`
}

// listBusinessUnits lists the units the caller may assign: all of them, or
// a scoped person's own.
func (s *Server) listBusinessUnits(c echo.Context) error {
	q := parseQuery(c, "archived")
	archived := q.boolean("archived")
	if err := q.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	us, err := models.ListBusinessUnits(ctx, s.deps.DB.Gorm, archived != nil && *archived)
	if err != nil {
		return err
	}
	mine, scoped := models.ScopedUnits(ctx)
	out := businessUnitsResponse{Items: []businessUnitResponse{}, Scoped: scoped}
	for i := range us {
		if !scoped || slices.Contains(mine, us[i].ID) {
			out.Items = append(out.Items, toBusinessUnitResponse(&us[i]))
		}
	}
	return c.JSON(http.StatusOK, out)
}

type createBusinessUnitRequest struct {
	Name        string `json:"name" validate:"required,max=100"`
	Description string `json:"description" validate:"max=1000"`
}

type updateBusinessUnitRequest struct {
	ID          string  `json:"-" path:"id"`
	Version     int64   `json:"version" validate:"required,gte=1"`
	Name        *string `json:"name" validate:"omitempty,max=100"`
	Description *string `json:"description" validate:"omitempty,max=1000"`
	Archived    *bool   `json:"archived"`
}

// unitNameTaken turns the unique index's refusal into a field error.
func unitNameTaken(err error) error {
	if errors.Is(err, models.ErrConflict) {
		return models.Invalid("name", "is already the name of a business unit")
	}
	return err
}

func (s *Server) createBusinessUnit(c echo.Context) error {
	var req createBusinessUnitRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	u := &models.BusinessUnit{Name: strings.TrimSpace(req.Name), Description: strings.TrimSpace(req.Description)}
	if u.Name == "" {
		return models.Invalid("name", "is required")
	}
	ctx := c.Request().Context()
	err := s.deps.DB.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.CreateBusinessUnit(ctx, tx, u); err != nil {
			return unitNameTaken(err)
		}
		return auth.Record(ctx, tx, principalOf(c), s.origin(c), models.AuditEvent{Action: "business_unit.create",
			ObjectType: "business_unit", ObjectID: u.ID, AfterData: models.AuditJSON(toBusinessUnitResponse(u))})
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toBusinessUnitResponse(u))
}

// updateBusinessUnit renames, describes, archives or restores a unit.
func (s *Server) updateBusinessUnit(c echo.Context) error {
	var req updateBusinessUnitRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	set := map[string]any{}
	if req.Name != nil {
		if strings.TrimSpace(*req.Name) == "" {
			return models.Invalid("name", "must not be empty")
		}
		set["name"] = strings.TrimSpace(*req.Name)
	}
	if req.Description != nil {
		set["description"] = strings.TrimSpace(*req.Description)
	}
	if req.Archived != nil {
		set["archived"] = *req.Archived
	}
	ctx := c.Request().Context()
	var out *models.BusinessUnit
	err := s.deps.DB.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.GetBusinessUnit(ctx, tx, c.Param("id"))
		if err != nil {
			return err
		}
		after, err := models.UpdateBusinessUnit(ctx, tx, before.ID, req.Version, set)
		out = after
		if err != nil && after == nil {
			return unitNameTaken(err) // the unique name index, not a stale version
		}
		if err != nil {
			return err
		}
		action := "business_unit.update"
		switch {
		case !before.Archived && after.Archived:
			action = "business_unit.archive"
		case before.Archived && !after.Archived:
			action = "business_unit.restore"
		}
		b, a := models.AuditDiff(toBusinessUnitResponse(before), toBusinessUnitResponse(after))
		return auth.Record(ctx, tx, principalOf(c), s.origin(c), models.AuditEvent{Action: action,
			ObjectType: "business_unit", ObjectID: before.ID, BeforeData: b, AfterData: a})
	})
	if err != nil {
		if out != nil && errors.Is(err, models.ErrConflict) {
			return conflictWith(err, toBusinessUnitResponse(out))
		}
		return err
	}
	return c.JSON(http.StatusOK, toBusinessUnitResponse(out))
}

type userUnitsRequest struct {
	ID              string   `json:"-" path:"id"`
	BusinessUnitIDs []string `json:"business_unit_ids" validate:"required,max=50,dive,max=64" description:"the units the person is scoped to; empty: unscoped (sees every unit). Administrators are never scoped"`
}

type userUnitsResponse struct {
	BusinessUnitIDs []string `json:"business_unit_ids"`
}

// setUserUnits scopes a person to business units (or, with none, lifts
// the scope). It takes effect on their next request.
func (s *Server) setUserUnits(c echo.Context) error {
	var req userUnitsRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := models.UserByID(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	if err := models.CheckUnits(ctx, s.deps.DB.Gorm, "business_unit_ids", req.BusinessUnitIDs); err != nil {
		return err
	}
	var after []string
	err = s.deps.DB.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.UserUnitIDs(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if err := models.SetUserUnits(ctx, tx, u.ID, req.BusinessUnitIDs); err != nil {
			return err
		}
		if after, err = models.UserUnitIDs(ctx, tx, u.ID); err != nil {
			return err
		}
		return auth.Record(ctx, tx, principalOf(c), s.origin(c), models.AuditEvent{Action: "business_unit.user_scope",
			ObjectType: "user", ObjectID: u.ID, BeforeData: models.AuditJSON(userUnitsResponse{before}),
			AfterData: models.AuditJSON(userUnitsResponse{after})})
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, userUnitsResponse{BusinessUnitIDs: after})
}
