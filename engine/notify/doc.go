// Package notify delivers the notifications the engine and the deadline
// watch record in the store's outbox.
//
// A transition or a sweep decides a notification and writes it with the
// dossier in one conditional write (engine.Store.Apply); the Dispatcher
// here reads pending notifications afterwards, renders them from
// templates an admin can edit, sends them on every configured Channel and
// marks them sent, or retries later with exponential backoff:
//
//	transition / sweep ──Apply──▶ outbox (pending)
//	                                  │ PendingNotifications(now)
//	                                  ▼
//	                  Dispatcher: render ─▶ SMTP / Webhook / Log
//	                                  │ UpdateNotification
//	                                  ▼
//	                    sent │ pending, NextAttempt = now + backoff │ failed
//
// A crash between deciding and sending therefore delays a message and
// never loses it. Delivery is at least once: a crash between sending and
// marking, or one channel failing while another succeeded, sends again;
// every resend carries the same idempotency key, the notification ID (the
// e-mail Message-ID, the webhook's Idempotency-Key header), so receivers
// can drop duplicates. Run one dispatcher per deployment (next to the
// elected sweeper) to keep such resends rare.
//
// Among processes sharing one store, a Lease (watch.Lease) elects the one
// that dispatches. Run owns the lease's term and resigns it when it stops,
// so a restarted process takes over at once. Trust is checked before each
// message, not once per batch, and each read, send and record takes its
// deadline from the trust left: a batch of slow sends (30 s SMTP timeout
// each) stops where the trust ends (ErrNotTrusted) and leaves the rest to
// the next holder, instead of sending alongside it.
//
// Recipients are person ids resolved to e-mail addresses through the
// directory when the message is sent. Messages are Vietnamese by default
// (Templates.Lang "en" for English).
package notify
