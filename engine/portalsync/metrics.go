package portalsync

import "github.com/prometheus/client_golang/prometheus"

// Collectors are the delivery's counters as Prometheus metrics, for the
// server's registry. Duplicates counts the records a receiver said it
// already had: sent again after a crash between the POST and the record
// of its success, always under the same record id.
func (s *Delivery) Collectors() []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "motcua_portal_sync_delivered_total", Help: "Sync records the national portal acknowledged.",
		}, func() float64 { return float64(s.Delivered()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "motcua_portal_sync_duplicates_total", Help: "Sync records the portal already had (resent after a crash or a lost answer, same record id).",
		}, func() float64 { return float64(s.Duplicates()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "motcua_portal_sync_failures_total", Help: "Failed sync delivery attempts (retried by the dispatcher).",
		}, func() float64 { return float64(s.Failures()) }),
	}
}
