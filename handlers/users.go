package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/auth"
	"rampart/app/authz"
	"rampart/models"
)

type userResponse struct {
	ID          string      `json:"id"`
	Email       string      `json:"email"`
	Name        string      `json:"name"`
	Role        models.Role `json:"role"`
	Department  string      `json:"department"`
	Active      bool        `json:"active"`
	LastLoginAt *time.Time  `json:"last_login_at"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
	Version     int64       `json:"version"`
	MFAEnabled  bool        `json:"mfa_enabled"`
	// MustChangePassword: a temporary password waits to be replaced.
	MustChangePassword bool `json:"must_change_password"`
	// SignInFailures is shown to administrators only: failed sign-ins on
	// the account, from every address, in the current throttling window.
	SignInFailures *int64 `json:"sign_in_failures,omitempty" description:"administrators only: failed sign-ins counted on the account from every address in the current throttling window; POST .../unlock-sign-in clears them"`
	// ProvisionedBy names the identity provider that manages the account.
	// BusinessUnitIDs scope the person (empty: unscoped).
	BusinessUnitIDs []string `json:"business_unit_ids" description:"the business units the person is scoped to; empty: unscoped (sees every unit)"`
	ProvisionedBy   *string  `json:"provisioned_by,omitempty" description:"one user's view: the identity provider that manages the account over SCIM, whose next sync overwrites changes made here"`
}

func toUserResponse(u *models.User) userResponse {
	return userResponse{
		ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Department: u.Department, Active: u.Active,
		LastLoginAt: u.LastLoginAt, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, Version: u.Version,
		MFAEnabled: u.MFAEnabled(), MustChangePassword: u.MustChangePassword, BusinessUnitIDs: []string{},
	}
}

func roleNames() []string {
	out := make([]string, len(models.Roles))
	for i, r := range models.Roles {
		out[i] = string(r)
	}
	return out
}

func (s *Server) listUsers(c echo.Context) error {
	q := parseQuery(c, "q", "role", "active")
	f := models.UserFilter{
		Q: q.str("q", 200), Active: q.boolean("active"),
		Sort: q.values.Get("sort"), Cursor: q.values.Get("cursor"), Limit: q.limit(),
	}
	for _, r := range q.list("role", roleNames()) {
		f.Roles = append(f.Roles, models.Role(r))
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := models.ListUsers(c.Request().Context(), s.deps.DB.Gorm, f)
	if err != nil {
		return err
	}
	ids := make([]string, len(page.Items))
	for i := range page.Items {
		ids[i] = page.Items[i].ID
	}
	units, err := models.UsersUnitIDs(c.Request().Context(), s.deps.DB.Gorm, ids)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(page, func(u *models.User) userResponse {
		out := toUserResponse(u)
		if units[u.ID] != nil {
			out.BusinessUnitIDs = units[u.ID]
		}
		return out
	}))
}

type userIDParam struct {
	ID string `path:"id"`
}

func (s *Server) getUser(c echo.Context) error {
	u, err := models.UserByID(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	return s.adminUserView(c, u)
}

// adminUserView adds, for callers who manage users, how many failed
// sign-ins are counted on the account, so the unlock button shows only
// when there is something to unlock.
func (s *Server) adminUserView(c echo.Context, u *models.User) error {
	out := toUserResponse(u)
	units, err := models.UserUnitIDs(c.Request().Context(), s.deps.DB.Gorm, u.ID)
	if err != nil {
		return err
	}
	out.BusinessUnitIDs = units
	if u.SCIMProviderID != nil {
		p, err := models.GetSSOProvider(c.Request().Context(), s.deps.DB.Gorm, *u.SCIMProviderID)
		if err != nil {
			return err
		}
		out.ProvisionedBy = &p.DisplayName
	}
	if p := principalOf(c); authz.Can(p.User.Role, authz.UsersManage) {
		n, _, err := s.deps.Auth.SignInFailures(c.Request().Context(), u.Email)
		if err != nil {
			return err
		}
		out.SignInFailures = &n
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) unlockSignIn(c echo.Context) error {
	if err := s.deps.Auth.UnlockSignIn(c.Request().Context(), principalOf(c), c.Param("id"), s.origin(c)); err != nil {
		return err
	}
	u, err := models.UserByID(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	return s.adminUserView(c, u)
}

type createUserRequest struct {
	Email      string      `json:"email" validate:"required,email,max=254"`
	Name       string      `json:"name" validate:"required,max=200"`
	Role       models.Role `json:"role" validate:"required,oneof=admin risk_manager legal requester auditor"`
	Department string      `json:"department" validate:"max=200"`
	Password   string      `json:"password" validate:"required"`
}

func (s *Server) createUser(c echo.Context) error {
	var req createUserRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	u, err := s.deps.Auth.CreateUser(c.Request().Context(), principalOf(c), auth.NewUser{
		Email: req.Email, Name: strings.TrimSpace(req.Name), Role: req.Role,
		Department: strings.TrimSpace(req.Department), Password: req.Password,
	}, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toUserResponse(u))
}

type updateUserRequest struct {
	ID         string       `json:"-" path:"id"`
	Version    int64        `json:"version" validate:"required,gte=1"`
	Name       *string      `json:"name" validate:"omitempty,min=1,max=200"`
	Role       *models.Role `json:"role" validate:"omitempty,oneof=admin risk_manager legal requester auditor"`
	Department *string      `json:"department" validate:"omitempty,max=200"`
	Active     *bool        `json:"active"`
}

func (s *Server) updateUser(c echo.Context) error {
	var req updateUserRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.Name != nil {
		*req.Name = strings.TrimSpace(*req.Name)
	}
	u, err := s.deps.Auth.UpdateUser(c.Request().Context(), principalOf(c), c.Param("id"), req.Version,
		models.UserChanges{Name: req.Name, Role: req.Role, Department: req.Department, Active: req.Active}, s.origin(c))
	if err != nil {
		if u != nil {
			return conflictWith(err, toUserResponse(u))
		}
		return err
	}
	return c.JSON(http.StatusOK, toUserResponse(u))
}
