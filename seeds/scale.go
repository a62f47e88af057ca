package seeds

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rampart/app/scoring"
	"rampart/models"
)

// ScaleVendors adds n generated vendors in batches, scored as scoring
// would score them, calling progress after each batch. It is how tests,
// benchmarks and `rampart seed --scale` fill a large portfolio quickly.
func ScaleVendors(ctx context.Context, db *gorm.DB, n int, progress func(done, total int)) error {
	m, _, err := scoring.Current(ctx, db)
	if err != nil {
		return err
	}
	specs := GenerateVendors(n, demoSeed+1)
	const batch = 5000
	today := time.Now().UTC()
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		recs := make([]models.VendorRecord, 0, end-start)
		for i := start; i < end; i++ {
			r := specs[i].Record
			in := m.Inherent(scoring.ProfileOf(&r))
			res := m.Residual(in, nil, nil)
			r.InherentScore, r.Tier, r.ResidualScore = int64(in.Score), int64(in.Tier), int64(res.Score)
			r.Likelihood, r.Impact = int64(res.Likelihood), int64(res.Impact)
			r.NextReviewOn = today.AddDate(0, 0, i%730-180).Format(time.DateOnly)
			recs = append(recs, r)
		}
		if err := models.InsertVendorsBulk(ctx, db, recs); err != nil {
			return err
		}
		if progress != nil {
			progress(end, n)
		}
	}
	return nil
}
