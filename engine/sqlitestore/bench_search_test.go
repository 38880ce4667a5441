package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// searchBenchN is how many dossiers the search benchmark stores
// (MOTCUA_BENCH_N overrides it, for a quick run).
func searchBenchN() int {
	if n, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// Vietnamese names as a register holds them: sixteen family names (about
// nine in ten Vietnamese carry one of them), common middle and given names.
var (
	benchFamily = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	benchMiddle = []string{"Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc"}
	benchGiven  = []string{"An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai",
		"Nam", "Ngân", "Nhung", "Phong", "Phương", "Quang", "Quyên", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Vân", "Yến"}
)

var searchBench struct {
	once sync.Once
	s    *Store
	code string // a dossier in the middle of the store
	err  error
}

// searchStore is the benchmark's store, seeded once per process in a
// temporary folder: n dossiers over ten units and a year of receptions,
// written a thousand per transaction through the store's own insert (the
// rows, the search keys), which is what Insert does one at a time.
func searchStore(b *testing.B) *Store {
	searchBench.once.Do(func() {
		dir, err := os.MkdirTemp("", "motcua-search-bench")
		if err != nil {
			searchBench.err = err
			return
		}
		s, err := Open(dir)
		if err != nil {
			searchBench.err = err
			return
		}
		n, start := searchBenchN(), time.Now()
		ctx := context.Background()
		for lo := 0; lo < n; lo += 1000 {
			err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
				for i := lo; i < min(lo+1000, n); i++ {
					d := benchDossier(i)
					doc, err := encodeDossier(d)
					if err != nil {
						return err
					}
					if err := s.insert(ctx, tx, d, doc, nil); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				searchBench.err = err
				return
			}
		}
		searchBench.s, searchBench.code = s, benchDossier(n/2).Code
		fmt.Fprintf(os.Stderr, "seeded %d dossiers in %s (%s)\n", n, time.Since(start).Round(time.Millisecond), dir)
	})
	if searchBench.err != nil {
		b.Fatal(searchBench.err)
	}
	return searchBench.s
}

// benchDossier is the i-th dossier of the benchmark: a name drawn from
// the lists above by i, so each given name is held by about one in 32.
func benchDossier(i int) *engine.Dossier {
	day := time.Date(2025, 6, 1, 2, 0, 0, 0, time.UTC).Add(time.Duration(i%365) * 24 * time.Hour)
	unit := fmt.Sprintf("unit-%02d", (i/5)%10)
	name := benchFamily[(i/7)%len(benchFamily)] + " " + benchMiddle[(i/3)%len(benchMiddle)] + " " + benchGiven[i%len(benchGiven)]
	code := fmt.Sprintf("XA%02d-%s-%05d", i%10, day.Format("060102"), i)
	return enginetest.NewDossier(code, func(d *engine.Dossier) {
		d.ReceiveKey, d.Unit, d.ReceivedAt = "", unit, day
		d.Applicant.Name = name
		d.Applicant.IDNo = fmt.Sprintf("0010%08d", i)
		d.Applicant.Phone = fmt.Sprintf("09%08d", i)
		due := day.Add(7 * 24 * time.Hour)
		d.DueAt = &due
		if i%3 == 0 {
			d.Status, d.FinishedAt = engine.StatusFinished, &due
		}
	})
}

// BenchmarkSearch measures the search box on the embedded store of
// searchBenchN dossiers, each query against the lookup of one dossier by
// its code (Get) in the same run. Run:
//
//	go test ./engine/sqlitestore -run '^$' -bench Search -benchtime 2s -count 3
func BenchmarkSearch(b *testing.B) {
	s := searchStore(b)
	ctx := context.Background()
	list := func(q engine.Query, min int) func(b *testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				got, err := s.List(ctx, q)
				if err != nil || len(got) < min {
					b.Fatalf("%+v: %d found, %v", q, len(got), err)
				}
			}
		}
	}
	b.Run("lookup by code (Get, baseline)", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Get(ctx, searchBench.code); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("search by the whole code", list(engine.Query{Text: searchBench.code, OrderByDue: true, Limit: 51}, 1))
	b.Run("search binh, a page of 50 by due", list(engine.Query{Text: "binh", OrderByDue: true, Limit: 51}, 51))
	b.Run("search binh, a page of 50 by due, from its matches (narrow plan forced)", func(b *testing.B) {
		query, args := selectDossiersFor(engine.Query{Text: "binh", OrderByDue: true, Limit: 51}, false)
		for b.Loop() {
			n := 0
			if err := s.scan(ctx, query, args, func(*engine.Dossier) error { n++; return nil }); err != nil || n != 51 {
				b.Fatalf("%d %v", n, err)
			}
		}
	})
	b.Run("search binh in one unit, open, by due", list(engine.Query{Text: "binh", Units: []string{"unit-04"},
		Status: []engine.Status{engine.StatusInProgress, engine.StatusPaused}, OrderByDue: true, Limit: 51}, 1))
	b.Run("search nguyen van b, a page of 50", list(engine.Query{Text: "nguyen van b", OrderByDue: true, Limit: 51}, 1))
	phone := benchDossier(searchBenchN() / 2).Applicant.Phone
	b.Run("search a phone by its first 7 digits, +84 form", list(engine.Query{Text: "+84" + phone[1:7], OrderByDue: true, Limit: 51}, 51))
	// What text search did before the keys: a contains-match on the
	// lower-cased name column (diacritics had to be typed), the due
	// order walked until the page is full.
	b.Run("before: LIKE %bình% walking the due order", func(b *testing.B) {
		for b.Loop() {
			var n int
			if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT code FROM dossiers WHERE applicant_name LIKE '%bình%' ORDER BY due_order, code LIMIT 51)`).Scan(&n); err != nil || n != 51 {
				b.Fatalf("%d %v", n, err)
			}
		}
	})
}

// removeSearchBench removes the benchmark's store, once the run is over
// (TestMain): it is seeded once per process for all sub-benchmarks and
// counts, and holds about 500 MB.
func removeSearchBench() {
	if s := searchBench.s; s != nil {
		s.Close()
		os.RemoveAll(s.Dir())
	}
}
