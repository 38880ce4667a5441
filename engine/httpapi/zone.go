package httpapi

import "time"

// inZone returns t in the calendar's zone, as every instant the API
// writes: the reception's due_at came back in UTC while the dossier
// beside it said +07:00 (issue 15).
func (s *Server) inZone(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	l := t.In(s.eng.Calendar.Location())
	return &l
}
