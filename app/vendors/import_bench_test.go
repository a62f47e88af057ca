package vendors_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"rampart/app/auth"
	"rampart/app/sheet"
	"rampart/app/vendors"
	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

// importFile writes n generated vendors as an import file; department
// is what a re-import changes.
func importFile(tb testing.TB, n int, department string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"external_id", "name", "legal_name", "website", "category", "status", "department", "criticality",
		"data_types", "access_level", "integration_methods", "hosting_regions", "annual_spend", "currency", "internal_users", "tags", "description"})
	for i, s := range seeds.GenerateVendors(n, 7) {
		r := s.Record
		dept := r.Department
		if department != "" {
			dept = department
		}
		_ = w.Write([]string{"EXT-" + strconv.Itoa(i), r.Name, r.LegalName, strings.Replace(r.Website, "www.", "v"+strconv.Itoa(i)+".", 1),
			r.Category, r.Status, dept, vendors.CriticalityName(int(r.Criticality)), strings.Join(r.DataTypes, "; "), r.AccessLevel,
			strings.Join(r.IntegrationMethods, "; "), strings.Join(r.HostingRegions, "; "), strconv.FormatInt(r.AnnualSpend, 10),
			r.Currency, strconv.FormatInt(r.InternalUsers, 10), strings.Join(r.Tags, "; "), r.Description})
	}
	w.Flush()
	return buf.Bytes()
}

func importer(tb testing.TB, db *models.DB) (*vendors.Service, *auth.Principal) {
	tb.Helper()
	u := &models.User{Email: "importer@corp.test", Name: "Importer", Role: models.RoleRiskManager, Active: true}
	if err := models.CreateUser(context.Background(), db.Gorm, u); err != nil {
		tb.Fatal(err)
	}
	return &vendors.Service{DB: db.Gorm}, &auth.Principal{User: u}
}

// importSizes are the file sizes measured; RAMPART_BENCH_IMPORT_ROWS
// (comma-separated) overrides them.
func importSizes() []int {
	sizes := []int{2_000, sheet.MaxRows - 1} // the largest file: 20,000 lines with the header
	if env := os.Getenv("RAMPART_BENCH_IMPORT_ROWS"); env != "" {
		sizes = nil
		for _, f := range strings.Split(env, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
				sizes = append(sizes, n)
			}
		}
	}
	return sizes
}

// BenchmarkVendorImport commits a file of new vendors into an empty
// register (create), then the same file with every row changed
// (update), each on a fresh database per iteration.
func BenchmarkVendorImport(b *testing.B) {
	ctx := context.Background()
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		for _, n := range importSizes() {
			create, update := importFile(b, n, ""), importFile(b, n, "Procurement")
			b.Run(string(d)+"/rows="+strconv.Itoa(n), func(b *testing.B) {
				if d == models.Postgres && os.Getenv(testdb.PostgresEnv) == "" {
					b.Skip("no PostgreSQL")
				}
				var createTime, updateTime time.Duration
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					db := testdb.Open(b, d)
					s, p := importer(b, db)
					b.StartTimer()
					start := time.Now()
					res, err := s.Import(ctx, p, create, false, auth.Origin{})
					if err != nil || !res.Committed || res.Created != n {
						b.Fatalf("create: %v %+v", err, res)
					}
					createTime += time.Since(start)
					start = time.Now()
					res, err = s.Import(ctx, p, update, false, auth.Origin{})
					if err != nil || !res.Committed || res.Updated != n {
						b.Fatalf("update: %v %+v", err, res)
					}
					updateTime += time.Since(start)
				}
				b.ReportMetric(createTime.Seconds()/float64(b.N), "create-s")
				b.ReportMetric(updateTime.Seconds()/float64(b.N), "update-s")
			})
		}
	}
}
