package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/report"
	"github.com/motcua/motcua/procedures"
)

const reportUsage = `usage: motcua report --from YYYY-MM-DD --to YYYY-MM-DD [--by unit|procedure|kind|channel|none[,...]]
       [--format table|csv|xlsx|json] [--out FILE] [--lang vi|en]
       [--data DIR | --mongo-uri URI [--mongo-db NAME]]
       [--calendar FILE] [--procedures PATH]... [--directory FILE]

--from and --to are inclusive dates in the calendar's zone. Every format
holds the legal figures, the petitions and the Decision 766 indicators
(docs/reports.md); XLSX puts the latter on sheets of their own. Several
groupings (--by unit,procedure) give one XLSX sheet or one table each.
XLSX goes to --out FILE, or to stdout when it is redirected. The embedded
store serves one process at a time: while "motcua serve" runs on DIR, ask
it (GET /api/v1/reports/on-time) instead.`

// reportArgs are the report's flags, shared with "simulate --report".
type reportArgs struct {
	from, to string
	by       string // comma-separated groupings
	format   string // empty: from --out's extension, else table
	out      string
	lang     string
	// catalog and directory name rows and make clock replays exact;
	// either may be nil.
	catalog   *engine.Catalog
	directory *engine.Directory
}

// addReportFlags registers --from, --to, --by, --format and --out on fs
// (not --lang: simulate has its own) and returns where they land.
func addReportFlags(fs *commandFlags) *reportArgs {
	a := &reportArgs{lang: "vi"}
	fs.StringVar(&a.from, "from", "", "first day of the period, YYYY-MM-DD (inclusive)")
	fs.StringVar(&a.to, "to", "", "last day of the period, YYYY-MM-DD (inclusive)")
	fs.StringVar(&a.by, "by", "unit", "grouping: unit, procedure, kind, channel or none; several separated by commas")
	fs.StringVar(&a.format, "format", "", "table, csv, xlsx or json (default: from --out's extension, else table)")
	fs.StringVar(&a.out, "out", "", "write to this file instead of stdout")
	return a
}

// runReport computes the on-time report of a stored period.
func runReport(ctx context.Context, m *Main, args []string) error {
	fs := newFlags("report", reportUsage)
	a := addReportFlags(fs)
	fs.StringVar(&a.lang, "lang", "vi", "language of headings: vi or en")
	sf := addStoreFlags(fs)
	calPath := fs.String("calendar", "", "calendar file (default: the built-in vn calendar)")
	var procs stringList
	fs.Var(&procs, "procedures", "procedure files or folders: exact clock replays and procedure names (repeatable)")
	dirPath := fs.String("directory", "", "directory file: unit names")
	if err := fs.parse(m, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("report: unexpected argument %q\n%s", fs.Arg(0), reportUsage)
	}
	if a.from == "" || a.to == "" {
		return usagef("report: --from and --to are required\n%s", reportUsage)
	}
	if err := checkLang(a.lang); err != nil {
		return err
	}
	// Check every argument before touching a store.
	if _, err := report.ParseDate(a.from, "from"); err != nil {
		return err
	}
	if _, err := report.ParseDate(a.to, "to"); err != nil {
		return err
	}
	if _, err := a.groupings(); err != nil {
		return err
	}
	if _, err := a.outputFormat(); err != nil {
		return err
	}
	cal, err := loadCalendarFlag(*calPath)
	if err != nil {
		return err
	}
	var loaded []procedures.Loaded
	if len(procs) > 0 {
		if loaded, err = procedures.LoadSources(procs...); err != nil {
			return fmt.Errorf("--procedures: %w", err)
		}
	}
	if *dirPath != "" {
		if a.directory, err = procedures.LoadDirectory(*dirPath); err != nil {
			return fmt.Errorf("--directory: %w", err)
		}
	}
	sf.resolve(m.Getenv)
	st, err := sf.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if len(procs) > 0 {
		// The same catalog as serve's: the replays of dossiers received
		// on versions the files no longer hold need those versions.
		if a.catalog, err = publishCatalog(ctx, st, loaded, m.Now.Time(), m.lang(), m.Stderr); err != nil {
			return err
		}
	}
	return writeReport(ctx, m, st, cal, *a)
}

func (a reportArgs) groupings() ([]report.Grouping, error) {
	var gs []report.Grouping
	seen := map[report.Grouping]bool{}
	for _, s := range strings.Split(a.by, ",") {
		g, err := report.ParseGrouping(s)
		if err != nil {
			return nil, usagef("--by: %v", err)
		}
		if !seen[g] {
			seen[g] = true
			gs = append(gs, g)
		}
	}
	return gs, nil
}

// outputFormat is --format, else the extension of --out, else table.
func (a reportArgs) outputFormat() (report.Format, error) {
	s := a.format
	if s == "" && a.out != "" {
		switch ext := strings.ToLower(filepath.Ext(a.out)); ext {
		case ".csv", ".xlsx", ".json":
			s = ext[1:]
		}
	}
	f, err := report.ParseFormat(s)
	if err != nil {
		return "", usagef("--format: %v", err)
	}
	return f, nil
}

// writeReport computes the report of args over st and writes it to
// args.out or m.Stdout. "simulate --report" calls it on the simulated
// store.
func writeReport(ctx context.Context, m *Main, st report.Source, cal *calendar.Calendar, args reportArgs) error {
	from, err := report.ParseDate(args.from, "from")
	if err != nil {
		return err
	}
	to, err := report.ParseDate(args.to, "to")
	if err != nil {
		return err
	}
	gs, err := args.groupings()
	if err != nil {
		return err
	}
	format, err := args.outputFormat()
	if err != nil {
		return err
	}
	if len(gs) > 1 && (format == report.FormatCSV || format == report.FormatJSON) {
		return usagef("--by with several groupings needs --format xlsx or table (one %s per grouping otherwise)", format)
	}
	if format == report.FormatXLSX && args.out == "" && isTerminal(m.Stdout) {
		return usagef("--format xlsx writes a binary file: give --out FILE.xlsx or redirect stdout")
	}
	lang := args.lang
	if lang == "" {
		lang = "vi"
	}
	var reps []*report.Report
	for _, g := range gs {
		r, err := report.Compute(ctx, st, cal, report.Query{From: from, To: to, By: g, Catalog: args.catalog, Directory: args.directory})
		if err != nil {
			return err
		}
		reps = append(reps, r)
	}
	emit := func(w io.Writer) error {
		if format == report.FormatXLSX {
			return report.WriteXLSX(w, lang, reps...)
		}
		for i, r := range reps {
			if i > 0 {
				fmt.Fprintln(w)
			}
			if err := report.Write(w, r, format, lang); err != nil {
				return err
			}
		}
		return nil
	}
	if args.out == "" {
		return emit(m.Stdout)
	}
	if err := writeFileAtomic(args.out, emit); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if lang == "en" {
		fmt.Fprintf(m.Stderr, "report written to %s\n", args.out)
	} else {
		fmt.Fprintf(m.Stderr, "đã ghi báo cáo vào %s\n", args.out)
	}
	return nil
}

// writeFileAtomic writes through a temporary file renamed into place, so
// a failed report never leaves half a spreadsheet where the last one was.
func writeFileAtomic(path string, emit func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if err := emit(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// isTerminal reports whether w is a character device (a terminal), where
// binary output would only garble the screen.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
