// Package engine is the core of motcua: the domain of a one-stop unit
// (procedures, the directory of units and people, dossiers with their
// legal clock) and the pure functions that decide what happens to a
// dossier. It performs no I/O; time enters only as a `now` argument.
//
// # Shape
//
//	              ┌──────────────────── engine (pure) ─────────────────────┐
//	HTTP, CLI,  → │ Receive / Step / Check (env, dossier, now) → Decision  │
//	watch, sync   │   • clock ledger → DeriveClock (clock.go)              │
//	              │   • ladder: Alarms, NextCheck (ladder.go)              │
//	              │   • forms 02–04: Forms (forms.go)                      │
//	              │   • rights: CanRead, ListUnits (read.go), membership,  │
//	              │     what may be fired or received now (available.go)   │
//	              │   • overdue and due today: DueFlags (urgency.go)       │
//	              │   • typed errors with codes (errors.go)                │
//	              │   • compiled table, vouched for by looplab/fsm         │
//	              └────────────────────────────────────────────────────────┘
//	                                       │
//	Engine (engine.go, read.go): the one way in, for writes and reads
//	  writes: Get → step → Store.Apply(new, prev version, outbox)
//	          one conditional write per transition; a lost race is
//	          recomputed on the fresh dossier, never merged blindly;
//	          a reused reception key answers only a reader of its dossier
//	  reads:  Get (the system), Read (as a person), List, Scan (reports)
//	  clock:  one injected Clock (now.go); nil is the system clock
//	                                       │
//	Store interface (store.go) ── sqlitestore (default) │ mongostore (production)
//	  Insert, Apply (a transition: state, history row, outbox),
//	  ApplyAlarms (the watch's alarm-only write, no history row), leases
//	  one conformance suite, split per area: enginetest
//
//	Around it, each with one owner:
//	  watch (sweep, digest) and notify (outbox dispatcher): an elector owns
//	    each lease term; every store call under it is bounded by the trust
//	    left, and the lease is handed back on stop
//	  httpapi and cmd: render and wire only; one table maps codes to HTTP
//	    statuses and exit codes, one catalogue holds the words (vi, en)
//
// # Why the step reads the compiled table
//
// looplab/fsm describes transitions as a data table, the shape of our
// YAML, and its answers are the reference: when a procedure is compiled,
// Procedure.CheckMachine asks a machine built from the declared actions
// where every action leads from every state and refuses the procedure if
// the compiled table (Procedure.Next) says otherwise. The step itself
// then reads the table: a machine per step would take locks, allocate
// and run callbacks keyed by strings, and a machine is a mutable object
// while the step must be a pure function of (procedure, dossier, action,
// now). In-place actions (extend, reappoint) are not transitions of the
// machine at all; the engine alone gives them their meaning.
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
// the deadline watch. Who may read and list which dossiers is decided
// here too (read.go), and every read through the Engine applies it;
// engine/auth adds which roles may act, manage or see the dashboard.
//
// # Errors
//
// Every error a person can cause is a typed error carrying an application
// Code (EINVALID, ENOTFOUND, ECONFLICT, EFORBIDDEN, …) and its words in
// Vietnamese and English (Localized). One table (errtable.go) gives each
// code its HTTP status, exit status and generic words; Describe gives an
// error's own words. httpapi, the reports and cmd/motcua read both.
package engine
