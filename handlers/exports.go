package handlers

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/customfields"
	"rampart/app/sheet"
	"rampart/app/vendors"
	"rampart/models"
)

// Contracts and findings export as the vendor list does: every record the
// list's filters match, in the list's order, with a cf.<key> column per
// active custom field. Neither has an import, so the columns are for
// reading: vendors and owners by name.

type contractsExportQuery struct {
	contractsQuery
	Format string `path:"format" enum:"csv,xlsx"`
}

type findingsExportQuery struct {
	findingsQuery
	Format string `path:"format" enum:"csv,xlsx"`
}

var contractExportColumns = []string{"id", "title", "vendor", "type", "status", "legal_review", "effective_date", "current_term_end",
	"cancel_by", "auto_renewal", "notice_period", "notice_unit", "value", "currency"}

var findingExportColumns = []string{"id", "title", "vendor", "severity", "status", "source", "owner", "due_date", "overdue",
	"created_at", "resolved_at"}

func (s *Server) exportContracts(c echo.Context) error {
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	f, err := s.contractListFilter(c)
	if err != nil {
		return err
	}
	if f.Cursor != "" {
		return models.Invalid("cursor", "is not used by exports; every matching contract is exported")
	}
	f.Limit = models.MaxLimit
	ctx := c.Request().Context()
	custom, rows, err := s.exportHead(ctx, "contract", contractExportColumns)
	if err != nil {
		return err
	}
	for {
		page, err := models.ListContracts(ctx, s.deps.DB.Gorm, f)
		if err != nil {
			return err
		}
		ids := make([]string, len(page.Items))
		for i := range page.Items {
			ids[i] = page.Items[i].VendorID
		}
		names, err := models.VendorNames(ctx, s.deps.DB.Gorm, ids)
		if err != nil {
			return err
		}
		for i := range page.Items {
			ct := &page.Items[i]
			row := []string{ct.ID, ct.Title, names[ct.VendorID], ct.Type, ct.Status, ct.ReviewStatus, ct.EffectiveDate, ct.CurrentTermEnd,
				ct.CancelBy, strconv.FormatBool(ct.AutoRenewal), strconv.FormatInt(ct.NoticePeriod, 10), ct.NoticeUnit,
				strconv.FormatInt(ct.Value, 10), ct.Currency}
			rows = append(rows, appendCustom(row, custom, ct.CustomFields))
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	return writeSheet(c, format, "rampart-contracts", "Contracts", rows)
}

func (s *Server) exportFindings(c echo.Context) error {
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	f, err := s.findingListFilter(c)
	if err != nil {
		return err
	}
	if f.Cursor != "" {
		return models.Invalid("cursor", "is not used by exports; every matching finding is exported")
	}
	f.Limit = models.MaxLimit
	ctx := c.Request().Context()
	custom, rows, err := s.exportHead(ctx, "finding", findingExportColumns)
	if err != nil {
		return err
	}
	for {
		page, err := models.ListFindings(ctx, s.deps.DB.Gorm, f)
		if err != nil {
			return err
		}
		vendorNames, owners, err := models.NamesForFindings(ctx, s.deps.DB.Gorm, page.Items)
		if err != nil {
			return err
		}
		for i := range page.Items {
			fd := s.toFinding(&page.Items[i])
			owner, resolved := "", ""
			if fd.OwnerID != nil {
				owner = owners[*fd.OwnerID]
			}
			if fd.ResolvedAt != nil {
				resolved = fd.ResolvedAt.UTC().Format(time.RFC3339)
			}
			row := []string{fd.ID, fd.Title, vendorNames[fd.VendorID], fd.Severity, fd.Status, fd.Source, owner, fd.DueDate,
				strconv.FormatBool(fd.Overdue), fd.CreatedAt.UTC().Format(time.RFC3339), resolved}
			rows = append(rows, appendCustom(row, custom, page.Items[i].CustomFields))
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	return writeSheet(c, format, "rampart-findings", "Findings", rows)
}

// exportFormat is the export's file format from its path; any other is
// not a route.
func exportFormat(c echo.Context) (string, error) {
	format := c.Param("format")
	if format != "csv" && format != "xlsx" {
		return "", echo.ErrNotFound
	}
	return format, nil
}

// exportHead is an export's header row: the built-in columns, then
// cf.<key> for each active custom field of entity, which it returns too.
func (s *Server) exportHead(ctx context.Context, entity string, columns []string) ([]models.CustomField, [][]string, error) {
	custom, err := models.ListCustomFields(ctx, s.deps.DB.Gorm, entity, false)
	if err != nil {
		return nil, nil, err
	}
	head := append([]string(nil), columns...)
	for _, cf := range custom {
		head = append(head, vendors.CustomPrefix+cf.Key)
	}
	return custom, [][]string{head}, nil
}

// appendCustom adds a record's custom values to its row, in the header's
// order.
func appendCustom(row []string, custom []models.CustomField, vals models.CustomValues) []string {
	for _, cf := range custom {
		row = append(row, customfields.Format(vals[cf.Key]))
	}
	return row
}

// writeSheet answers rows as a CSV or XLSX download named after today.
func writeSheet(c echo.Context, format, name, sheetName string, rows [][]string) error {
	name += "-" + time.Now().UTC().Format(time.DateOnly)
	h := c.Response().Header()
	if format == "csv" {
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
		c.Response().WriteHeader(http.StatusOK)
		return sheet.WriteCSV(c.Response(), rows)
	}
	x, err := sheet.NewXLSX(sheetName)
	if err != nil {
		return err
	}
	for _, r := range rows {
		cells := make([]any, len(r))
		for i, v := range r {
			cells[i] = v
		}
		if err := x.Write(cells); err != nil {
			return err
		}
	}
	h.Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`.xlsx"`)
	c.Response().WriteHeader(http.StatusOK)
	return x.Finish(c.Response())
}
