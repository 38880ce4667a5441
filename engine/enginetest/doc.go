// Package enginetest holds what tests of any engine.Store or engine.Engine
// user need: the store conformance suite (RunStoreSuite, RunEngineSuite),
// a stub clock, and small fixtures built in Go (a sample procedure, a
// directory, a dossier factory).
//
// Every store implementation runs the same suite from its own test file:
//
//	func TestStore(t *testing.T) {
//		enginetest.RunStoreSuite(t, func(t *testing.T) engine.Store {
//			s, err := sqlitestore.Open(t.TempDir())
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { s.Close() })
//			return s
//		}, enginetest.SuiteOptions{})
//	}
//
// newStore is called once per test and must return a fresh, empty store
// (its own database or folder), so that tests may run in parallel.
package enginetest
