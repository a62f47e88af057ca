package models_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"rampart/models"
)

// BenchmarkSQLiteReadsBesideWrites measures the vendor list's first page
// read by many goroutines at once, alone and while writers keep updating
// vendors in short transactions: with one writer connection and a read
// pool the two figures should stay close, where one shared pool let
// queued writers take the readers' connections (decision 0004). It
// reports reads/s and the writes/s committed meanwhile.
// Run on a quiet machine: go test -run '^$' -bench SQLiteReadsBesideWrites ./models/
// (RAMPART_BENCH_VENDORS sets the portfolio, 10,000 by default).
func BenchmarkSQLiteReadsBesideWrites(b *testing.B) {
	n := 10_000
	if v, err := strconv.Atoi(os.Getenv("RAMPART_BENCH_VENDORS")); err == nil && v > 0 {
		n = v
	}
	db := seededDB(b, models.SQLite, n)
	ctx := context.Background()
	var ids []string
	if err := db.Gorm.Table("vendors").Order("id").Limit(1000).Pluck("id", &ids).Error; err != nil {
		b.Fatal(err)
	}
	for _, writers := range []int{0, 4, 16} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			stop := make(chan struct{})
			var wrote atomic.Int64
			var wg sync.WaitGroup
			for w := range writers {
				wg.Go(func() {
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						id := ids[(w*131+i)%len(ids)]
						err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
							return tx.Table("vendors").Where("id = ?", id).Update("description", fmt.Sprintf("bench %d %d", w, i)).Error
						})
						if err != nil {
							b.Error(err)
							return
						}
						wrote.Add(1)
					}
				})
			}
			b.SetParallelism(4)
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := models.ListVendors(ctx, db.Gorm, models.VendorFilter{Limit: 50}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			elapsed := time.Since(start)
			close(stop)
			wg.Wait()
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "reads/s")
			b.ReportMetric(float64(wrote.Load())/elapsed.Seconds(), "writes/s")
		})
	}
}
