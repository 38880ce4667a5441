// Package engine is the core of motcua: the domain of a one-stop unit
// (procedures, the directory of units and people, dossiers with their
// legal clock) and the pure functions that decide what happens to a
// dossier. It performs no I/O; time enters only as a `now` argument.
//
// # Shape
//
//	                   ┌────────────── engine (pure) ──────────────┐
//	HTTP, CLI, watch → │ Receive / Step / Check (env, dossier, now) │ → Decision
//	                   │   • typed errors (errors.go)               │   new dossier
//	                   │   • clock ledger → DeriveClock (clock.go)  │   history row
//	                   │   • ladder: Alarms, NextCheck (ladder.go)  │   notifications
//	                   └────────────────────────────────────────────┘
//	                                        │
//	Engine (engine.go): Get → step → Store.Apply(new, prev version, outbox)
//	                    one conditional write per transition; a lost race is
//	                    recomputed on the fresh dossier, never merged blindly
//	                                        │
//	Store interface (store.go) ── sqlitestore (default) │ mongostore (production)
//	                              one conformance suite: enginetest
//
// # Decisions, not effects
//
// Receive, Step and Check return a Decision (the new dossier, its history
// row and the notifications to record) instead of performing anything.
// The caller writes the decision in one conditional write on the
// dossier's version, so a transition either happens whole (state, history
// row and outbox together) or not at all, and a concurrent writer sees a
// *ConflictError rather than a lost update. Retrying a request with the
// same idempotency key is a Replay: nothing is written twice.
//
// # The legal clock
//
// A dossier's time limit is not a stored date but a ledger of events —
// start, pause (supplement with supplement: pause), stop (supplement with
// supplement: restart), resume, restart, extend, reappoint, finish —
// replayed on the legal calendar by DeriveClock. Pauses, restarts from
// zero (Decree 61/2018 Art 19 as amended), extensions (Denunciations Law
// 2018 Art 30) and the once-only new appointment of an apology letter
// therefore recompute exactly, and every due instant can explain itself.
// Completion is judged against the legal due instant: early before its
// day, on time on that day up to the instant, late after (Judge).
//
// # Rights in the core
//
// Whether a person may fire an action is decided here, from the
// directory: a member of the acting unit (or the units an action names),
// never a deactivated person, and system-only actions (timeouts) only by
// the deadline watch. Packages above add who may read what (engine/auth).
//
// # Errors
//
// Every error a person can cause is a typed error carrying an application
// Code (EINVALID, ENOTFOUND, ECONFLICT, EFORBIDDEN, …) and its words in
// Vietnamese and English (Localized). One table (errtable.go) gives each
// code its HTTP status, exit status and generic words; Describe gives an
// error's own words. httpapi, the reports and cmd/motcua read both.
package engine
