// Package mongostore is the engine.Store on MongoDB (6.0 or later, a
// replica set recommended), through go.mongodb.org/mongo-driver/v2. It is
// the store that lets several motcua processes share one database.
//
// Collections:
//
//	dossiers       one document per dossier, _id = dossier code; history
//	               rows and not-yet-relayed notifications live inside it
//	notifications  the outbox the dispatcher reads, _id = notification id
//	sequences      {_id: "UNIT/YYMMDD", n}: daily dossier numbers
//	leases         {_id: name, holder, until}: the deadline watch's lease
//	credentials    {_id: person, password_hash, tokens, updated_at}: the
//	               engine.CredentialStore (bcrypt and SHA-256 hashes only),
//	               so that every process sees one set of passwords and
//	               tokens; PutCredential replaces the document (upsert)
//
// A transition is one atomic single-document write, so no multi-document
// transaction is needed (a standalone server has none):
//
//	updateOne({_id: code, version: prev, history: {$size: n}},
//	          {$set: changed fields, $unset: cleared fields,
//	           $push: {history: new row, outbox: {$each: notifications}}})
//
// The deadline watch's alarm-only write (ApplyAlarms) is one
// updateOne({_id: code, version: prev}) that sets the fired keys, the
// next check, the update instant and the version, and pushes its
// notifications; it adds no history row.
//
// The documents are this package's own types (document.go), with the
// field names and BSON types written since the store began, never
// engine.Dossier's tags; testdata holds a document of that first shape
// that every version must still read.
//
// Notifications decided by a transition therefore start inside the
// dossier. Relay (also run by PendingNotifications and Notifications)
// copies them into the notifications collection (insert by id; a
// duplicate key means already relayed) and then removes them from the
// dossier with $pullAll of the exact stored values, which never conflicts
// with an officer's transition. A crash between the two steps leaves a
// notification in both places; the next relay inserts nothing and only
// removes it, so nothing is lost and nothing is sent twice.
//
// The package uses only what FerretDB 1.24 also implements, so that the
// conformance suite run through an embedded FerretDB covers this code
// (docs/stores.md): no transactions, $expr, arrayFilters, positional
// updates, partial indexes, $elemMatch or distinct, and no $pull with a
// condition (FerretDB compares the condition as a literal value and
// silently removes nothing).
//
// Files: store.go (opening, indexes, errors), document.go (the stored
// documents), dossiers.go (numbers, insert, transitions, reads by key),
// queries.go (lists, scans, the watch's index), outbox.go (the relay and
// the notifications), leases.go, credentials.go, procedures.go,
// sessions.go.
package mongostore
