package vendors

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"rampart/app/auth"
	"rampart/app/customfields"
	"rampart/app/sheet"
	"rampart/models"
)

// Columns are the vendor file's columns, in export order. Import accepts
// them in any order, by these names or the aliases below.
var Columns = []string{"rampart_id", "external_id", "name", "legal_name", "website", "category", "status", "owner_email",
	"department", "criticality", "data_types", "access_level", "integration_methods", "hosting_regions",
	"annual_spend", "currency", "internal_users", "tags", "description"}

var aliases = map[string]string{
	"id": "rampart_id", "vendor": "name", "vendor_name": "name", "url": "website", "owner": "owner_email",
	"business_owner": "owner_email", "access": "access_level", "integration": "integration_methods",
	"integrations": "integration_methods", "regions": "hosting_regions", "hosting": "hosting_regions",
	"spend": "annual_spend", "users": "internal_users", "tag": "tags", "data": "data_types",
}

// CellError is a problem with one cell.
type CellError struct {
	Column  string `json:"column"`
	Message string `json:"message"`
}

// ImportRow is what importing one row did, or would do.
type ImportRow struct {
	Row      int         `json:"row"` // 1-based line in the file, header included
	Action   string      `json:"action" enum:"create,update,unchanged,error"`
	VendorID string      `json:"vendor_id"`
	Name     string      `json:"name"`
	Changes  []string    `json:"changes"`
	Errors   []CellError `json:"errors"`
}

// ImportResult summarises an import.
type ImportResult struct {
	DryRun    bool        `json:"dry_run"`
	Committed bool        `json:"committed"`
	Rows      int         `json:"rows"`
	Created   int         `json:"created"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Failed    int         `json:"failed"`
	Ignored   []string    `json:"ignored_columns"`
	Items     []ImportRow `json:"items"`
}

type plannedRow struct {
	ImportRow
	in       Input
	existing *models.VendorRecord // the vendor the row matches, as read
	next     *models.VendorRecord // what the row makes of it, or the new vendor
	matchID  string
}

// Import reads a CSV or XLSX vendor list. A dry run reports, per row and
// column, what would happen; a real run saves every row or, if any row
// has an error, nothing. Rows are matched to existing vendors by
// rampart_id, then external_id, then website domain, so importing the same
// file twice changes nothing the second time.
func (s *Service) Import(ctx context.Context, p *auth.Principal, data []byte, dryRun bool, o auth.Origin) (*ImportResult, error) {
	sheets, err := sheet.Read(data)
	if err != nil {
		return nil, models.Invalid("file", err.Error())
	}
	table, err := sheet.First(sheets)
	if err != nil {
		return nil, models.Invalid("file", err.Error())
	}
	k, err := s.customChecker(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	header, ignored, err := mapHeader(table.Rows[0], customTypes(k))
	if err != nil {
		return nil, err
	}
	res := &ImportResult{DryRun: dryRun, Ignored: ignored, Items: []ImportRow{}}
	plan, err := s.plan(ctx, table.Rows, header)
	if err != nil {
		return nil, err
	}
	for _, pr := range plan {
		res.Rows++
		switch pr.Action {
		case "create":
			res.Created++
		case "update":
			res.Updated++
		case "unchanged":
			res.Unchanged++
		case "error":
			res.Failed++
		}
		res.Items = append(res.Items, pr.ImportRow)
	}
	if dryRun || res.Failed > 0 || res.Created+res.Updated == 0 {
		return res, nil
	}
	if err := s.commit(ctx, p, o, plan, res); err != nil {
		return nil, err
	}
	res.Committed = true
	return res, nil
}

func normalizeHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
	h = strings.NewReplacer(" ", "_", "-", "_", "/", "_").Replace(h)
	if a, ok := aliases[h]; ok {
		return a
	}
	return h
}

// mapHeader finds each known column's position; unknown columns are
// reported and ignored, a column given twice is an error.
// A custom field's column is cf.<key> (an active field's).
func mapHeader(row []string, custom map[string]string) (map[string]int, []string, error) {
	header, ignored := map[string]int{}, []string{}
	for i, h := range row {
		key := normalizeHeader(h)
		_, isCustom := custom[strings.TrimPrefix(key, CustomPrefix)]
		isCustom = isCustom && strings.HasPrefix(key, CustomPrefix)
		switch {
		case key == "":
			continue
		case !slices.Contains(Columns, key) && !isCustom:
			ignored = append(ignored, strings.TrimSpace(h))
		case hasKey(header, key):
			return nil, nil, models.Invalid("file", fmt.Sprintf("the column %q appears twice", h))
		default:
			header[key] = i
		}
	}
	if !hasKey(header, "name") {
		return nil, nil, models.Invalid("file", "the first row must be a header with at least a name column (and ideally category, website)")
	}
	return header, ignored, nil
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// plan decides each row's action without writing anything. It reads the
// register in a fixed number of queries, whatever the file's size: the
// match index, the active users, and the matched vendors in bulk.
func (s *Service) plan(ctx context.Context, rows [][]string, header map[string]int) ([]plannedRow, error) {
	index, err := models.VendorMatchIndex(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	users, err := models.ActiveUsersByEmail(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	planner := &Service{DB: s.DB, activeUsers: make(map[string]bool, len(users))}
	for _, id := range users {
		planner.activeUsers[id] = true
	}
	k, err := planner.customChecker(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	custom := customTypes(k)
	seen := map[string]int{}
	var out []plannedRow
	var errs [][]CellError
	var matched []string
	for n, row := range rows[1:] {
		if allEmpty(row) {
			continue
		}
		pr, cellErrs := matchRow(row, n+2, header, users, custom, index, seen)
		if pr.matchID != "" && index.ByID[pr.matchID] != "" {
			matched = append(matched, pr.matchID)
		}
		out, errs = append(out, pr), append(errs, cellErrs)
	}
	existing, err := models.GetVendors(ctx, s.DB, matched)
	if err != nil {
		return nil, err
	}
	for i := range out {
		planner.decide(ctx, &out[i], existing[out[i].matchID], errs[i])
	}
	return out, nil
}

// matchRow parses one row and finds the vendor it matches, if any.
func matchRow(row []string, line int, header map[string]int, users map[string]string, custom map[string]string, index models.VendorIndex, seen map[string]int) (plannedRow, []CellError) {
	cell := func(col string) (string, bool) {
		i, ok := header[col]
		if !ok || i >= len(row) {
			return "", false
		}
		return strings.TrimSpace(row[i]), true
	}
	pr := plannedRow{ImportRow: ImportRow{Row: line, Changes: []string{}, Errors: []CellError{}}}
	pr.Name, _ = cell("name")
	in, cellErrs := parseRow(cell, users)
	in.CustomFields = customCells(header, cell, custom)
	pr.in = in
	var key string
	if id, ok := cell("rampart_id"); ok && id != "" {
		key = "id:" + id
		if index.ByID[id] == "" {
			cellErrs = append(cellErrs, CellError{"rampart_id", "is not a vendor in this register"})
		}
		pr.matchID = id
	} else if ext, ok := cell("external_id"); ok && ext != "" {
		key, pr.matchID = "ext:"+ext, index.ByExternal[ext]
	} else if w, ok := cell("website"); ok && Domain(w) != "" {
		key, pr.matchID = "dom:"+Domain(w), index.ByDomain[Domain(w)]
	}
	if key != "" {
		if first, dup := seen[key]; dup {
			cellErrs = append(cellErrs, CellError{"name", fmt.Sprintf("row %d already imports this vendor (same id, external id or website)", first)})
		}
		seen[key] = line
	}
	return pr, cellErrs
}

// decide validates a parsed row against the vendor it matches (nil: a new
// vendor) and sets its action, changes and the record to write.
func (s *Service) decide(ctx context.Context, pr *plannedRow, existing *models.VendorRecord, cellErrs []CellError) {
	in := pr.in
	if existing != nil {
		pr.existing, pr.VendorID = existing, existing.ID
		next := *existing
		next.Tags, next.DataTypes = slices.Clone(existing.Tags), slices.Clone(existing.DataTypes)
		if err := s.apply(ctx, s.DB, &next, in, false); err != nil {
			cellErrs = append(cellErrs, fieldErrors(err)...)
		} else if in.Status != nil && !CanMove(existing.Status, *in.Status) {
			cellErrs = append(cellErrs, CellError{"status", fmt.Sprintf("cannot change from %s to %s", existing.Status, *in.Status)})
		} else if existing.ArchivedAt != nil {
			cellErrs = append(cellErrs, CellError{"name", "matches an archived vendor; restore it first"})
		} else {
			pr.Changes = changedFields(ViewOf(existing), ViewOf(&next))
			pr.next = &next
		}
	} else {
		rec := newRecord()
		if in.CustomFields == nil {
			in.CustomFields = map[string]json.RawMessage{} // required fields hold for new vendors
		}
		if in.Category == nil {
			cellErrs = append(cellErrs, CellError{"category", "is required for a new vendor"})
		} else if err := s.apply(ctx, s.DB, rec, in, true); err != nil {
			cellErrs = append(cellErrs, fieldErrors(err)...)
		}
		pr.next = rec
	}
	if pr.Changes == nil {
		pr.Changes = []string{}
	}
	switch {
	case len(cellErrs) > 0:
		pr.Action, pr.Errors = "error", cellErrs
	case pr.existing == nil:
		pr.Action = "create"
	case len(pr.Changes) == 0:
		pr.Action = "unchanged"
	default:
		pr.Action = "update"
	}
}

func allEmpty(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// parseRow turns cells into an Input; only columns present are set, so an
// import never blanks a field the file does not mention.
func parseRow(cell func(string) (string, bool), users map[string]string) (Input, []CellError) {
	var in Input
	var errs []CellError
	text := func(col string, dst **string) {
		if v, ok := cell(col); ok {
			*dst = &v
		}
	}
	text("name", &in.Name)
	text("legal_name", &in.LegalName)
	text("website", &in.Website)
	text("description", &in.Description)
	text("department", &in.Department)
	text("currency", &in.Currency)
	text("external_id", &in.ExternalID)
	vocab := func(col string, dst **string) {
		if v, ok := cell(col); ok && v != "" {
			n := vocabValue(v)
			*dst = &n
		}
	}
	vocab("category", &in.Category)
	vocab("status", &in.Status)
	vocab("access_level", &in.AccessLevel)
	vocab("criticality", &in.Criticality)
	list := func(col string, dst **[]string, asVocab bool) {
		if v, ok := cell(col); ok {
			items := splitList(v)
			if asVocab {
				for i := range items {
					items[i] = vocabValue(items[i])
				}
			}
			*dst = &items
		}
	}
	list("data_types", &in.DataTypes, true)
	list("integration_methods", &in.IntegrationMethods, true)
	list("hosting_regions", &in.HostingRegions, false)
	list("tags", &in.Tags, false)
	number := func(col string, dst **int64) {
		v, ok := cell(col)
		if !ok {
			return
		}
		n, err := parseWhole(v)
		if err != nil {
			errs = append(errs, CellError{col, err.Error()})
			return
		}
		*dst = &n
	}
	number("annual_spend", &in.AnnualSpend)
	number("internal_users", &in.InternalUsers)
	if v, ok := cell("owner_email"); ok {
		id := ""
		if v != "" {
			id = users[models.NormalizeEmail(v)]
			if id == "" {
				errs = append(errs, CellError{"owner_email", "is not an active user's email"})
			}
		}
		in.OwnerID = &id
	}
	return in, errs
}

// vocabValue accepts labels as people type them: "Cloud infrastructure",
// "Credentials / secrets", "read-only".
func vocabValue(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	v = strings.NewReplacer(" / ", "_", "/", "_", " ", "_", "-", "_").Replace(v)
	return v
}

func splitList(v string) []string {
	out := []string{}
	for _, item := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' || r == '\n' }) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func parseWhole(v string) (int64, error) {
	clean := strings.NewReplacer(",", "", " ", "", "_", "", "\u00a0", "").Replace(v)
	if clean == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(clean, 10, 64)
	if err != nil {
		if f, ferr := strconv.ParseFloat(clean, 64); ferr == nil && f == float64(int64(f)) && f >= 0 && f < 1e15 {
			return int64(f), nil
		}
		return 0, fmt.Errorf("must be a whole number, not %q", truncateText(v, 30))
	}
	if n < 0 || n > 1e15 {
		return 0, fmt.Errorf("must be between 0 and 1000000000000000")
	}
	return n, nil
}

func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

func fieldErrors(err error) []CellError {
	ve, ok := err.(*models.ValidationError)
	if !ok {
		return []CellError{{"name", err.Error()}}
	}
	out := make([]CellError, 0, len(ve.Errors))
	for _, fe := range ve.Errors {
		col := fe.Field
		if col == "owner_id" {
			col = "owner_email"
		}
		if k, ok := strings.CutPrefix(col, "custom_fields."); ok {
			col = CustomPrefix + k
		}
		out = append(out, CellError{col, fe.Message})
	}
	return out
}

// changedFields names the fields whose values differ.
func changedFields(a, b View) []string {
	var out []string
	ta, va, vb := reflect.TypeOf(a), reflect.ValueOf(a), reflect.ValueOf(b)
	for i := 0; i < ta.NumField(); i++ {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			name, _, _ := strings.Cut(ta.Field(i).Tag.Get("json"), ",")
			out = append(out, name)
		}
	}
	return out
}

// CustomPrefix starts a custom field's column in imports and exports:
// cf.<key>, the key the list filters use.
const CustomPrefix = "cf."

// customTypes are the active custom fields' types by key.
func customTypes(k *customfields.Checker) map[string]string {
	out := map[string]string{}
	for _, f := range k.Active() {
		out[f.Key] = f.Type
	}
	return out
}

// customCells are a row's custom field cells as JSON values for the
// checker: a multiple choice cell split into options, a number as a
// number when it reads as one (else as text, which the checker refuses
// with its message). Empty cells are left out, so an import never clears
// a value the file leaves blank.
func customCells(header map[string]int, cell func(string) (string, bool), custom map[string]string) map[string]json.RawMessage {
	var out map[string]json.RawMessage
	for col := range header {
		key, ok := strings.CutPrefix(col, CustomPrefix)
		if !ok {
			continue
		}
		v, _ := cell(col)
		if v == "" {
			continue
		}
		var val any = v
		switch custom[key] {
		case models.CustomMultiple:
			val = splitList(v)
		case models.CustomNumber:
			if n, msg := customfields.Number(strings.NewReplacer(",", "", " ", "").Replace(v)); msg == "" {
				val = n
			}
		}
		b, _ := json.Marshal(val)
		if out == nil {
			out = map[string]json.RawMessage{}
		}
		out[key] = b
	}
	return out
}
