package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/mongostore"
	"github.com/motcua/motcua/engine/simulate"
	"github.com/motcua/motcua/engine/sqlitestore"
	"github.com/motcua/motcua/engine/watch"
)

const simulateUsage = "usage: motcua simulate SCENARIO.yaml [--json] [--lang vi|en] [--mongo-uri URI] [--report --from YYYY-MM-DD --to YYYY-MM-DD [--by unit] [--format table|csv|xlsx|json] [--out FILE]]"

// runSimulate plays a scenario on a throwaway store: a temporary embedded
// store by default, or a fresh database on the MongoDB given by
// --mongo-uri / MOTCUA_MONGO_URI, dropped afterwards. Rejected steps are
// part of the output, not a failure: the exit status is 0 unless the
// scenario or what it names cannot be read (2).
func runSimulate(ctx context.Context, m *Main, args []string) error {
	fs := newFlags("simulate", simulateUsage)
	asJSON := fs.Bool("json", false, "print one JSON object: dossiers, notifications, errors")
	lang := fs.String("lang", "vi", "language of the tables: vi or en")
	mongoURI := fs.String("mongo-uri", "", "run on a temporary database of this MongoDB instead of the embedded store (env MOTCUA_MONGO_URI)")
	withReport := fs.Bool("report", false, "after the run, print the report over the simulated dossiers (--from, --to, --by, --format, --out)")
	ra := addReportFlags(fs)
	if err := fs.parse(m, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("%s", simulateUsage)
	}
	if *lang != "vi" && *lang != "en" {
		return usagef("simulate: --lang must be vi or en\n%s", simulateUsage)
	}
	if *mongoURI == "" && m.Getenv != nil {
		*mongoURI = m.Getenv("MOTCUA_MONGO_URI")
	}

	sc, err := simulate.Parse(fs.Arg(0))
	if err != nil {
		return err // *simulate.ParseError: EINVALID, exit 2, path:line:col
	}
	cat, dir, cal, err := sc.Environment()
	if err != nil {
		return err // procedures' *Problems are EINVALID too: exit 2
	}
	store, cleanup, err := simulationStore(ctx, *mongoURI)
	if err != nil {
		return err
	}
	defer cleanup()

	// The engine reads the simulated clock, never the wall clock: Run
	// moves it to each step's instant.
	clock := &simulate.SimClock{}
	eng := &engine.Engine{Store: store, Catalog: cat, Directory: dir, Calendar: cal, Now: clock.Now}

	// The deadline watch sweeps at each sweep step's simulated instant.
	var sweeper simulate.Sweeper = &watch.Watcher{Store: store, Engine: eng}

	res, err := simulate.Run(ctx, eng, clock, sc, sweeper)
	if err != nil {
		return err
	}
	if *withReport {
		// How the scenario would score: the same figures as motcua report,
		// over the simulated dossiers.
		ra.lang, ra.catalog, ra.directory = *lang, cat, dir
		return writeReport(ctx, m, store, cal, *ra)
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return res.WriteText(m.Stdout, *lang)
}

// simulationStore opens a store no one else uses and returns how to
// remove it.
func simulationStore(ctx context.Context, mongoURI string) (engine.Store, func(), error) {
	if mongoURI != "" {
		var b [6]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, nil, err
		}
		st, err := mongostore.Open(ctx, mongoURI, "motcua_simulate_"+hex.EncodeToString(b[:]))
		if err != nil {
			return nil, nil, err
		}
		return st, func() {
			_ = st.Database().Drop(context.WithoutCancel(ctx))
			_ = st.Close()
		}, nil
	}
	tmp, err := os.MkdirTemp("", "motcua-simulate-")
	if err != nil {
		return nil, nil, fmt.Errorf("temporary store: %w", err)
	}
	st, err := sqlitestore.Open(tmp)
	if err != nil {
		_ = os.RemoveAll(tmp)
		return nil, nil, err
	}
	return st, func() {
		_ = st.Close()
		_ = os.RemoveAll(tmp)
	}, nil
}
