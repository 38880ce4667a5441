// Package procedures is the YAML language in which admins declare
// procedures, directories and calendars: decoding on yaml.Node (positions
// kept), validation, compilation to engine types, diagrams.
//
// # Procedures
//
// One file per procedure; examples/procedures/ holds real ones. Keys:
//
//	code, name, name_en        national code (quote it: "1.001193"), names
//	version                    default 1; (code, version) is unique
//	kind                       procedure | complaint | denunciation | petition (default procedure)
//	legal_basis                a string or a list; required
//	time_limit                 any calendar.ParseDuration form: "3 working days", "30 ngày", "trong ngày"
//	cutoff                     "15:00": received later counts from the next working day
//	supplement                 restart (default) | pause: the clock while waiting for the applicant
//	initial                    the first state
//	states[]                   id, name, name_en, unit, time_limit (step budget),
//	                           waits_for: applicant, final: approved|refused|withdrawn,
//	                           status (national portal code 1–10), timeout: {after, action},
//	                           authority: outside (petition kinds only; see below)
//	actions[]                  id, name, name_en, from (one or a list), to, by, requires,
//	                           extend + max, reappoint: true, clock: restart, system: true
//	escalation[]               before|after, notify: assignee|unit_head|<unit id>, off_hours
//	online                     toan-trinh | mot-phan | none: how it may be submitted online
//	components[]               id, name, name_en, copy: original|copy|certified|any (default any),
//	                           count (1–20, default 1), required (default false)
//	fees[]                     id, name, name_en, amount (whole đồng, 0 for exempt),
//	                           per: copy (times the copies asked), due: before_result
//	result                     name, name_en, file: required|optional|none (default optional)
//
// # Contents
//
// Components are the desk's checklist: a reception lacking a required
// component, short of its count, or in a weaker form than asked (an
// original stands for a certified copy, a certified copy for a copy) is
// refused before a code is taken, with every missing component named
// (Decree 61/2018 Art 15.2b, carried over by Decree 118/2025). Each fee
// becomes a record on the dossier at reception; one due before_result
// must be paid before an approved final state, and a result with file:
// required must be attached by then (Art 20.5). Component and fee ids are
// kebab-case and unique within the procedure; pay_fee, like assign_step,
// is reserved for the engine's own history rows.
//
// State and action ids are snake_case (they become diagram identifiers
// and looplab/fsm event names); unit ids are kebab-case directory ids.
// Without escalation the DefaultEscalation ladder applies.
//
// # Authority
//
// A petition (kind complaint, denunciation or petition) is classified at
// intake: accepted for resolution by this unit (thuộc thẩm quyền) or not
// (không thuộc thẩm quyền): forwarded to the competent body, or the
// citizen guided there (Citizen Reception Law 2013 Art 28; Denunciations
// Law 2018 Art 24: forward within 5 working days). The catalog models
// forwarding as a state the dossier moves to, so the mark sits on the
// state, not on the action: "authority: outside" on the state a petition
// enters when it is not within the unit's authority. Several actions may
// lead there and the mark still holds, and the report reads it from the
// history rows' target states. Only outside is declared: a petition
// that never enters such a state counts as within the unit's authority.
// The mark is an error on other kinds and on the initial state (the
// classification follows reception).
//
// # Checks
//
// Decoding is strict: unknown or repeated keys, wrong types, bad
// durations and duplicate ids are problems. Then: undefined states and
// actions, unreachable states, non-final states with no way out or no way
// to any final state, no final state, actions from a final state, a
// waiting state nothing brings back from, extend without max, a
// reappoint used more than once (Decree 61/2018 Art 19), an authority
// mark that is not outside, or sits on a kind that is not a petition or
// on the initial state, escalation rungs that notify nobody, and step
// budgets on the longest path over the legal limit. That path starts at
// the initial state, after a clock restart or a return from the
// applicant, and stops at a waiting or final state;
// budgets and limit compare in working time on an 8-hour day, calendar
// days counting 5/7 of a working day each. With a directory, every unit
// and notify reference must resolve and notified units must have a head.
//
// Every problem is a Problem located at the offending node; all of them
// are reported at once, as *Problems.
//
// # Publishing
//
// Publish is the policy by which files become the catalog a running
// motcua serves: a (code, version) is published the first time it is
// seen and never edited in place (a changed file must raise version:),
// and the versions the files no longer hold are kept from the store for
// the dossiers received on them. It lives here, beside the language, so
// that every command (serve, sweep, report) publishes alike and cmd only
// wires it.
package procedures
