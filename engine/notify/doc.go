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
// Recipients are person ids resolved to e-mail addresses through the
// directory when the message is sent. Messages are Vietnamese by default
// (Templates.Lang "en" for English).
package notify
