// Package portalsync delivers the status sync records of the national
// portal (engine/syncrecord.go decides them) and tells each dossier's
// sync state.
//
// The records are written to the outbox by the same write as the change
// they report; the notify.Dispatcher reads them like any notification and
// hands them to Delivery, its Route for the kind engine.NotePortalSync:
//
//	Apply(dossier, history row, sync record) ──▶ outbox
//	Dispatcher ──▶ Delivery.Hold (an earlier record of the dossier pending?)
//	           ──▶ Delivery.Deliver ──POST──▶ the portal's endpoint
//
// Records of one dossier go in order: record n+1 is held, not attempted,
// while record n is pending (not yet acknowledged, or waiting for its
// next attempt after a failure). Retries and their backoff are the
// dispatcher's, as for every notification; a record the dispatcher gave up
// on no longer holds its successors, which carry the whole picture anyway.
// Delivery is at least once: a crash between the POST and the record of
// its success sends the record again with the same record id, and a
// receiver that says so is counted (Duplicates). docs/portal-sync.md is
// the contract.
package portalsync
