package mongostore_test

import (
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/internal/ferrettest"
)

// TestProcedureVersions runs the published-version contract. Through the
// embedded FerretDB the concurrent registration skips as the store suite's
// concurrency tests do; with MOTCUA_TEST_MONGODB_URI it runs in full.
func TestProcedureVersions(t *testing.T) {
	opts := enginetest.SuiteOptions{}
	if !ferrettest.Real() {
		opts.SkipConcurrency = "FerretDB 1.24 is not atomic under concurrency (docs/stores.md); set " +
			ferrettest.EnvURI + " to run against MongoDB"
	}
	enginetest.RunProcedureVersionSuite(t, func(t *testing.T) engine.ProcedureStore { return newStore(t) }, opts)
}
