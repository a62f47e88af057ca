package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"rampart/models"
)

// dashboard returns the portfolio's aggregates for the signed-in user.
func (s *Server) dashboard(c echo.Context) error {
	if err := parseQuery(c).err(); err != nil {
		return err
	}
	d, err := models.LoadDashboard(c.Request().Context(), s.deps.DB.Gorm, principalOf(c).User.ID, s.deps.Now().UTC())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}
