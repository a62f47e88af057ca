package handlers

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"rampart/app/vendors"
	"rampart/models"
)

// importLimit caps an uploaded vendor file.
const importLimit = 10 << 20

type importQuery struct {
	DryRun string                `query:"dry_run" enum:"true,false" description:"true (default) reports what would happen without saving"`
	File   *multipart.FileHeader `formData:"file" description:"CSV (UTF-8) or XLSX; the first visible sheet is read"`
}

// importVendors reads an uploaded CSV or XLSX file. With dry_run=true (the
// default) nothing is saved; otherwise every row is saved or, when any row
// has an error, none (422 with the per-row report).
func (s *Server) importVendors(c echo.Context) error {
	q := parseQuery(c, "dry_run")
	dry := q.boolean("dry_run")
	if err := q.err(); err != nil {
		return err
	}
	dryRun := dry == nil || *dry
	data, err := uploadedFile(c, "file", importLimit)
	if err != nil {
		return err
	}
	res, err := s.vendorService().Import(c.Request().Context(), principalOf(c), data, dryRun, s.origin(c))
	if err != nil {
		return err
	}
	if !dryRun && !res.Committed && res.Failed > 0 {
		p := newProblem(http.StatusUnprocessableEntity, strconv.Itoa(res.Failed)+" rows have errors; nothing was saved. Fix them and import again.")
		p.Type = typeValidation
		p.Import = res
		p.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		writeProblem(c, p)
		return nil
	}
	return c.JSON(http.StatusOK, res)
}

// uploadedFile reads one file from a multipart form, refusing anything
// larger than limit.
func uploadedFile(c echo.Context, field string, limit int64) ([]byte, error) {
	data, _, err := uploadedNamedFile(c, field, limit)
	return data, err
}

// uploadedNamedFile is uploadedFile with the name the client gave the file
// (a hint only: formats are told from the content).
func uploadedNamedFile(c echo.Context, field string, limit int64) ([]byte, string, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if !strings.HasPrefix(ct, echo.MIMEMultipartForm) {
		return nil, "", &requestError{status: http.StatusUnsupportedMediaType, detail: "Send the file as multipart/form-data in the field \"" + field + "\"."}
	}
	fh, err := c.FormFile(field)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", err
		}
		return nil, "", models.Invalid(field, "is required: attach a file")
	}
	if fh.Size > limit {
		return nil, "", &http.MaxBytesError{Limit: limit}
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, "", err
	}
	if int64(len(data)) > limit {
		return nil, "", &http.MaxBytesError{Limit: limit}
	}
	if len(data) == 0 {
		return nil, "", models.Invalid(field, "is empty")
	}
	return data, fh.Filename, nil
}

type exportQuery struct {
	vendorsQuery
	Format string `path:"format" enum:"csv,xlsx"`
}

// exportVendors writes every vendor matching the list's filters, in the
// list's order, as CSV or XLSX with the columns import reads.
func (s *Server) exportVendors(c echo.Context) error {
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	f, err := s.vendorListFilter(c)
	if err != nil {
		return err
	}
	if f.Cursor != "" {
		return models.Invalid("cursor", "is not used by exports; every matching vendor is exported")
	}
	f.Limit = models.MaxLimit
	ctx := c.Request().Context()
	// Active custom fields get a column each, cf.<key>, which import reads.
	custom, rows, err := s.exportHead(ctx, "vendor", vendors.Columns)
	if err != nil {
		return err
	}
	for {
		page, err := models.ListVendors(ctx, s.deps.DB.Gorm, f)
		if err != nil {
			return err
		}
		for i := range page.Items {
			rows = append(rows, appendCustom(exportRow(&page.Items[i]), custom, page.Items[i].CustomFields))
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	return writeSheet(c, format, "rampart-vendors", "Vendors", rows)
}

func exportRow(r *models.VendorRecord) []string {
	owner, ext := "", ""
	if r.Owner != nil {
		owner = r.Owner.Email
	}
	if r.ExternalID != nil {
		ext = *r.ExternalID
	}
	return []string{r.ID, ext, r.Name, r.LegalName, r.Website, r.Category, r.Status, owner, r.Department,
		vendors.CriticalityName(int(r.Criticality)), strings.Join(r.DataTypes, "; "), r.AccessLevel,
		strings.Join(r.IntegrationMethods, "; "), strings.Join(r.HostingRegions, "; "),
		strconv.FormatInt(r.AnnualSpend, 10), r.Currency, strconv.FormatInt(r.InternalUsers, 10),
		strings.Join(r.Tags, "; "), r.Description}
}
