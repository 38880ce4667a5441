// Package report computes the statistics a one-stop unit is judged by
// (domain brief, "Statistics"; issue 7) and renders them as a terminal
// table, CSV, XLSX, JSON, an HTTP endpoint and an inline SVG chart.
//
// Everything is computed in Go over one streamed Store.Scan bounded by
// the period's end, so both stores give the same figures by
// construction: no store-specific aggregation (FerretDB silently gets
// several accumulators wrong, see docs/stores.md).
//
// # The period
//
// A period is two inclusive civil dates in the calendar's zone: from
// 00:00 of From to 00:00 of the day after To, [start, end).
//
//   - received: ReceivedAt (the instant recorded at the desk) in the
//     period, also split by channel (counter, online, post);
//   - carried over: received before start and not finished before it;
//   - finished: FinishedAt in the period, split by Result: approved
//     dossiers by Timeliness (early, on time, late), refused and withdrawn
//     apart. on_time_rate = (early + on_time) ÷ (early + on_time + late);
//     refused and withdrawn are NOT in it (domain brief). With nothing to
//     judge the rate is absent (JSON null), never 0 or 1;
//   - in progress at the end: received before end and not finished
//     before it. Its state then is rebuilt from the legal-clock ledger
//     (events before end), not read from the current fields, because a
//     dossier may have finished, resumed or been extended since: paused
//     (waiting for the applicant), overdue (legal due instant before
//     end), otherwise within the deadline;
//   - steps (Circular 01/2018 Art 13, the control-slip view): history
//     rows written in the period whose step had a budget, by StepResult;
//   - avg_work_hours: mean WorkTaken (office time, paused time excluded)
//     of the dossiers in the rate's denominator, in hours.
//
// # Grouping
//
// Each figure is attributed to exactly one group, so the rows add up to
// the total. By unit the attribution is the unit that answers for the
// figure at that moment:
//
//   - received (and by channel): the receiving unit (ReceivingUnit);
//   - carried over: the unit responsible at the period's start;
//   - finished: the unit that fired the finishing action (the final
//     history row's FromUnit);
//   - in progress, overdue, paused: the unit responsible at the period's
//     end; while the dossier waits for the applicant, the unit that sent
//     it to wait;
//   - steps: each history row's FromUnit (the unit whose step ended).
//
// By procedure, kind and channel every figure goes to the dossier's own
// procedure code, kind or channel.
//
// # Petitions
//
// Complaints, denunciations and petitions (kiến nghị, phản ánh) also get
// their own section by kind: received, within and outside the unit's
// authority, finished, resolved on time, late, and extended (at least
// one extension recorded in the ledger before the period's end, among
// those finished in the period or in progress at its end; Denunciations
// Law 2018 Art 30).
//
// # Authority
//
// A petition is classified at intake: accepted by this unit (thuộc thẩm
// quyền) or forwarded / the citizen guided to the competent body (không
// thuộc thẩm quyền; Citizen Reception Law 2013 Art 28, Denunciations Law
// 2018 Art 24). Procedures mark the forwarding states "authority:
// outside" (package procedures). Of the petitions received in the
// period, outside_authority counts those whose history rows entered such
// a state before the period's end, within_authority the others, so a
// petition still at intake counts within until it is forwarded, and one
// forwarded after the end counts within for that period. Both are
// attributed like received (to the receiving unit) and appear in every
// row, the total and the petitions section. The marks come from
// Query.Catalog (each dossier's own procedure version); without it, or
// for a procedure it lacks, a petition is in neither figure rather than
// guessed within.
package report
