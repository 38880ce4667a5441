package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/motcua/motcua/engine"
)

// Metrics are the server's Prometheus metrics. The watch and the
// dispatcher live outside this package; cmd feeds their outcomes in
// through ObserveSweep, ObserveSkip and ObserveNotification.
type Metrics struct {
	reg           *prometheus.Registry
	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	transitions   *prometheus.CounterVec
	receptions    *prometheus.CounterVec
	sweeps        *prometheus.CounterVec
	notifications *prometheus.CounterVec
	skips         *prometheus.CounterVec
}

func newMetrics(reg *prometheus.Registry, eng *engine.Engine) (*Metrics, error) {
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "motcua_http_requests_total", Help: "HTTP API requests by route and status.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "motcua_http_request_duration_seconds", Help: "HTTP API request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "motcua_transitions_total", Help: "Actions applied to dossiers through the API, by procedure and action.",
		}, []string{"procedure", "action"}),
		receptions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "motcua_receptions_total", Help: "Dossiers received through the API, by procedure.",
		}, []string{"procedure"}),
		sweeps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "motcua_sweeps_total", Help: "Deadline-watch sweeps by result (ok, error).",
		}, []string{"result"}),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "motcua_notifications_total", Help: "Notification deliveries by channel and result (sent, failed).",
		}, []string{"channel", "result"}),
		skips: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "motcua_scheduled_runs_skipped_total", Help: "Scheduled deadline-watch runs that did not run, by job (sweep, digest) and reason (running: the previous run had not finished; not_trusted: another process holds the lease).",
		}, []string{"job", "reason"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.transitions, m.receptions, m.sweeps, m.notifications, m.skips, &dossierCollector{eng: eng}} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// ObserveSweep counts one deadline-watch sweep.
func (m *Metrics) ObserveSweep(err error) {
	m.sweeps.WithLabelValues(result(err, "ok")).Inc()
}

// ObserveSkip counts one scheduled run of job that was skipped, and why:
// a skip is normal on every process but the lease holder, and a rising
// count of "running" on the holder says sweeps take longer than their
// interval.
func (m *Metrics) ObserveSkip(job, reason string) {
	m.skips.WithLabelValues(job, reason).Inc()
}

// ObserveNotification counts one delivery attempt on channel.
func (m *Metrics) ObserveNotification(channel string, err error) {
	m.notifications.WithLabelValues(channel, result(err, "sent")).Inc()
}

func result(err error, ok string) string {
	if err != nil {
		if ok == "sent" {
			return "failed"
		}
		return "error"
	}
	return ok
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// instrument counts and times requests per route pattern (never per raw
// path, which would make one time series per dossier).
func (m *Metrics) instrument(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		m.requests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// dossierCollector counts open and overdue dossiers per unit at scrape
// time from the store, so the numbers are right after a restart and
// whichever process moved the dossiers. The store keeps the counts
// (engine.FigureStore), so a scrape reads no dossier: at 200,000 open
// dossiers a scan was seconds, the counts a few milliseconds.
type dossierCollector struct{ eng *engine.Engine }

var (
	openDesc    = prometheus.NewDesc("motcua_dossiers_open", "Unfinished dossiers by responsible unit.", []string{"unit"}, nil)
	overdueDesc = prometheus.NewDesc("motcua_dossiers_overdue", "Unfinished dossiers past their legal due instant, by unit.", []string{"unit"}, nil)
	pausedDesc  = prometheus.NewDesc("motcua_dossiers_paused", "Dossiers waiting for the applicant, by unit.", []string{"unit"}, nil)
)

func (c *dossierCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- openDesc
	ch <- overdueDesc
	ch <- pausedDesc
}

func (c *dossierCollector) Collect(ch chan<- prometheus.Metric) {
	now, loc := c.eng.Now.Time(), c.eng.Calendar.Location()
	open, overdue, paused := map[string]int{}, map[string]int{}, map[string]int{}
	for _, u := range c.eng.Directory.Units() {
		open[u.ID], overdue[u.ID], paused[u.ID] = 0, 0, 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	counts, err := openCounts(ctx, c.eng, now, dayEndOf(now, loc))
	if err != nil {
		ch <- prometheus.NewInvalidMetric(openDesc, err)
		return
	}
	// By responsible unit, as before the counts were kept: a dossier
	// waiting for the applicant counts under the unit "" it is in.
	for _, g := range counts {
		open[g.Unit] += g.Open
		paused[g.Unit] += g.Paused
		overdue[g.Unit] += g.Overdue
	}
	for u, n := range open {
		ch <- prometheus.MustNewConstMetric(openDesc, prometheus.GaugeValue, float64(n), u)
		ch <- prometheus.MustNewConstMetric(overdueDesc, prometheus.GaugeValue, float64(overdue[u]), u)
		ch <- prometheus.MustNewConstMetric(pausedDesc, prometheus.GaugeValue, float64(paused[u]), u)
	}
}
