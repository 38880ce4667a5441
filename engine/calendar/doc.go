// Package calendar does working-time arithmetic on legal calendars: the
// piece every appointment date, reminder and "late" verdict rests on.
//
// A Calendar is a time zone, the regular working weekdays, the office
// sessions of a working day and a per-year table of days off and make-up
// working days. The built-in VN calendar carries the official 2026 table;
// years without a confirmed table produce Warnings, never silent guesses.
//
// # Rules
//
//   - A working day is one standard day of the calendar's office sessions
//     (8 hours with the default 08:00–12:00 and 13:00–17:00). "0.5 working
//     days" is therefore 4 working hours.
//   - Counting starts at the valid reception instant (Start): the reception
//     time if it lies in an office session of a working day, else the start
//     of the next session. With a cut-off (e.g. 15:00, Decree 61/2018 Art 18),
//     a reception strictly after it on a working day counts from the first
//     session of the next working day.
//   - The due instant of a working-time limit is the earliest instant at
//     which that much office time has elapsed since the start: 3 working
//     days from Mon 09:00 end Thu 09:00; from a 08:00 start they end at
//     17:00 of the third day (not 08:00 of the fourth).
//   - N days (calendar days) end at the close of office hours on the start
//     date + N; an end on a day off moves to the next working day (Civil
//     Code 2015 Art 148). The start date is that of the valid reception
//     instant, so a dossier received on a Saturday or after the cut-off
//     counts its days from the next working day, as it counts working
//     time. "Same day" ends at the close of the start's working day.
//   - Elapsed returns the office time between two instants (pause
//     accounting, "how late"); AddWork is its inverse.
//
// Amounts take at most three decimals and at most 99999 whole units, so
// every working-time limit fits a time.Duration.
//
// Every Result can explain itself (Calendar.Explain) in Vietnamese or
// English: the start and why, the named days off skipped, the end.
//
// # Speed
//
// Adding working days uses prefix sums of working days over 2000–2100, so
// a 250-day limit costs a binary search, not a walk.
//
// This package uses the standard library only; YAML loading lives in
// package procedures.
package calendar
