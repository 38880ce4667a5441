// Package watch is the deadline watch: sweeps that find dossiers whose
// escalation rung, apology-letter notice or timed action is due, and a
// daily digest for unit heads.
//
// A sweep reads only the "next check" index (engine.Store.DueForCheck),
// page by page, so its cost follows the number of due dossiers, not the
// number of open ones. For each dossier it asks the pure engine.Check
// what to do and writes the answer with one conditional write on the
// version it read: engine.Store.Apply when a timed action fired (a new
// history row), engine.Store.ApplyAlarms when only reminders did (the
// fired rungs and the next check, no history row):
//
//	DueForCheck(at) ──▶ engine.Check(env, d, at) ──▶ Apply / ApplyAlarms(nd, d.Version, notifications)
//	                                                   │
//	                         ConflictError: someone else changed the dossier;
//	                         skip it, the next sweep recomputes from the new version
//
// The conditional write is what makes each rung fire at most once per
// dossier, step visit and clock generation: two sweepers racing over the
// same dossier both compute the same decision, and only one write
// succeeds. A process killed mid-sweep loses nothing (what it did not
// write is still due) and duplicates nothing (what it wrote is in Fired).
//
// Run schedules sweeps and the digest with robfig/cron in the calendar's
// time zone. Among several processes against one database, a lease elects
// the one that sweeps; the lease only saves work, it is never what keeps
// a rung from firing twice. The leader trusts its lease for a little less
// than its lifetime, measured from before the renewal was asked, and
// steps down rather than act on a lease it no longer trusts (the scheme of
// River's internal/leadership).
//
// One goroutine owns each lease term, as River's elector does; the jobs
// only read the trust window it publishes:
//
//	Lease.Run ── bid/renew every Interval ──▶ trustedUntil (mutex) ──▶ resign on stop
//	                                              │ read by
//	        cron ──▶ tick (sweep) ┐               ▼
//	        cron ──▶ digestTick   ┴─▶ runJob: previous still running? lease trusted?
//	                                   │ no: skipped, logged, counted (Skipped, OnSkip)
//	                                   ▼ yes
//	                    store calls with deadlines at the end of the trust
//
// A renewal, every page and every dossier of a sweep, and the digest take
// their context deadline from the trust left, so a stuck store call
// cannot outlive the lease; Run resigns the lease after its jobs stopped,
// so a restarted process takes it at once instead of a TTL later. Tests
// call tick, digestTick and Lease.runOnce directly and wait on test
// signals (internal/testsignal), never on a schedule or a sleep.
package watch
