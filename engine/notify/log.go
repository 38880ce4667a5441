package notify

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Log writes one line per message to W: for development, for `motcua
// sweep`, and as an audit trail next to the real channels.
type Log struct {
	W  io.Writer
	mu sync.Mutex
}

// Name implements Channel.
func (l *Log) Name() string { return "log" }

// Send implements Channel.
func (l *Log) Send(_ context.Context, m Message) error {
	var to []string
	for _, r := range m.Recipients {
		to = append(to, r.ID)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := fmt.Fprintf(l.W, "notify id=%s kind=%s level=%d to=%s subject=%q\n",
		m.ID, m.Notification.Kind, m.Notification.Level, strings.Join(to, ","), m.Subject)
	return err
}
