// Package slim is the stores' compact binary copy of a dossier for reads
// that need only figures (reports, the dashboard's period figures): what
// engine.Query.Slim asks for. Both stores write it beside the whole
// document, in the same write, and decode it instead of the document when
// a query asks for it.
//
// Why a hand-written codec: a quarter's report decoded every whole JSON
// document, and the JSON decoding was two thirds of its CPU (about 45 µs a
// dossier); this format is read field by field without reflection, and
// leaves out what no figure reads (engine.SlimDropped).
//
// The format is the stores' own, like their documents: it does not follow
// the engine's JSON or BSON tags. A leading version byte lets a later
// format be added beside this one; Decode refuses a version it does not
// know, and the store then reads the whole document.
package slim

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/motcua/motcua/engine"
)

// version1 is the only format written.
const version1 = 1

// ErrFormat reports a slim copy that cannot be read: damaged, or written
// by a newer format. The store reads the whole document instead.
var ErrFormat = errors.New("slim: unreadable copy")

type writer struct{ b []byte }

func (w *writer) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *writer) int(v int64)   { w.b = binary.AppendVarint(w.b, v) }
func (w *writer) str(s string) {
	w.uint(uint64(len(s)))
	w.b = append(w.b, s...)
}
func (w *writer) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// time writes an instant to the millisecond (the stores' precision),
// zero as a lone 0.
func (w *writer) time(t time.Time) {
	if t.IsZero() {
		w.uint(0)
		return
	}
	w.uint(1)
	w.int(t.UnixMilli())
}

func (w *writer) timePtr(t *time.Time) {
	if t == nil {
		w.uint(0)
		return
	}
	w.time(*t)
}

// Encode returns the slim copy of d, appended to buf (which may be nil).
func Encode(buf []byte, d *engine.Dossier) []byte {
	w := writer{b: append(buf, version1)}
	w.str(d.Code)
	w.str(d.Procedure)
	w.int(int64(d.ProcedureVersion))
	w.str(string(d.Kind))
	w.str(string(d.Channel))
	w.str(d.ReceivingUnit)
	w.str(d.ReceivedBy)
	w.str(d.RegisterBook)
	w.int(int64(d.RegisterNo))
	w.str(d.State)
	w.str(d.Unit)
	w.str(string(d.Status))
	w.time(d.ReceivedAt)
	w.time(d.StartAt)
	w.timePtr(d.DueAt)
	w.timePtr(d.AppointmentAt)
	w.time(d.StepStartedAt)
	w.timePtr(d.StepDueAt)
	w.str(d.Assignee)
	w.int(int64(d.StepVisit))
	w.timePtr(d.FinishedAt)
	w.str(string(d.Result))
	w.str(string(d.Timeliness))
	w.int(int64(d.WorkTaken))
	w.uint(uint64(len(d.Components)))
	for _, c := range d.Components {
		w.str(c.ID)
		w.str(string(c.Copy))
		w.int(int64(c.Count))
	}
	w.uint(uint64(len(d.Files)))
	for _, f := range d.Files {
		w.str(f.ID)
		w.str(f.SHA256)
		w.int(f.Size)
		w.str(f.ContentType)
		w.str(f.Name)
		w.str(f.Component)
		w.bool(f.Result)
		w.bool(f.Signed)
		w.str(f.Supersedes)
		w.str(f.ReusedFrom)
		w.time(f.At)
		w.str(f.By)
	}
	w.uint(uint64(len(d.Fees)))
	for _, f := range d.Fees {
		w.str(f.ID)
		w.int(f.Amount)
		w.int(int64(f.Copies))
		w.bool(f.Paid)
		w.str(string(f.Method))
		w.str(f.Reference)
		w.str(f.Receipt)
		w.timePtr(f.PaidAt)
		w.str(f.By)
	}
	if d.Rating == nil {
		w.bool(false)
	} else {
		w.bool(true)
		w.time(d.Rating.At)
		w.uint(uint64(len(d.Rating.Scores)))
		// Map order is random; the copy need not be byte-stable, only
		// readable, so the scores go in whatever order range gives.
		for k, v := range d.Rating.Scores {
			w.str(k)
			w.int(int64(v))
		}
		w.str(d.Rating.Comment)
	}
	w.uint(uint64(len(d.Ledger)))
	for _, e := range d.Ledger {
		w.str(string(e.Kind))
		w.time(e.At)
		w.str(e.Limit)
		w.timePtr(e.Appointment)
		w.str(e.Action)
	}
	// nil and empty history are the same value (engine.Store's rules),
	// but a nil one stays nil, as the documents keep it.
	w.bool(d.History != nil)
	w.uint(uint64(len(d.History)))
	for _, h := range d.History {
		w.int(int64(h.Seq))
		w.time(h.At)
		w.str(h.Action)
		w.str(h.Actor)
		w.str(h.FromState)
		w.str(h.ToState)
		w.str(h.FromUnit)
		w.str(h.ToUnit)
		w.timePtr(h.StepStartedAt)
		w.timePtr(h.StepDueAt)
		w.str(string(h.StepResult))
	}
	w.timePtr(d.NextCheckAt)
	w.int(d.Version)
	w.time(d.UpdatedAt)
	return w.b
}

// reader reads a slim copy; the first error sticks and every later read
// returns zero values, so Decode checks once at the end.
type reader struct {
	b   []byte
	err error
	// names interns the short strings that repeat across rows and
	// dossiers (units, states, actions, kinds): one allocation per
	// distinct value of a scan instead of one per field.
	names map[string]string
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = ErrFormat
	}
	r.b = nil
}

func (r *reader) uint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) int() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a length that must fit in what is left (each element
// takes at least one byte), so a damaged copy cannot ask for a huge
// allocation.
func (r *reader) count() int {
	n := r.uint()
	if n > uint64(len(r.b)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *reader) bytes() []byte {
	n := r.count()
	if r.err != nil {
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *reader) str() string {
	b := r.bytes()
	if len(b) == 0 {
		return ""
	}
	return string(b)
}

// name reads a string that is likely to repeat, interned.
func (r *reader) name() string {
	b := r.bytes()
	if len(b) == 0 {
		return ""
	}
	if len(b) > 64 {
		return string(b)
	}
	if s, ok := r.names[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	if r.names != nil && len(r.names) < 4096 {
		r.names[s] = s
	}
	return s
}

func (r *reader) bool() bool {
	if len(r.b) == 0 {
		r.fail()
		return false
	}
	v := r.b[0]
	r.b = r.b[1:]
	if v > 1 {
		r.fail()
	}
	return v == 1
}

func (r *reader) time() time.Time {
	switch r.uint() {
	case 0:
		return time.Time{}
	case 1:
		return time.UnixMilli(r.int()).UTC()
	}
	r.fail()
	return time.Time{}
}

func (r *reader) timePtr() *time.Time {
	t := r.time()
	if t.IsZero() {
		return nil
	}
	return &t
}

func (r *reader) small() int {
	v := r.int()
	if v < math.MinInt32 || v > math.MaxInt32 {
		r.fail()
		return 0
	}
	return int(v)
}

// Decoder decodes slim copies; it interns the names it meets, so one
// Decoder should serve a whole scan. It is not safe for concurrent use.
type Decoder struct{ names map[string]string }

// NewDecoder returns a Decoder for one scan.
func NewDecoder() *Decoder { return &Decoder{names: map[string]string{}} }

// Decode reads a slim copy: the dossier with the fields of engine.SlimDropped
// empty. An unreadable copy is ErrFormat.
func (dec *Decoder) Decode(b []byte) (*engine.Dossier, error) {
	if len(b) == 0 || b[0] != version1 {
		return nil, fmt.Errorf("%w: format %v", ErrFormat, b[:min(len(b), 1)])
	}
	r := reader{b: b[1:]}
	if dec != nil {
		r.names = dec.names
	}
	d := &engine.Dossier{}
	d.Code = r.str()
	d.Procedure = r.name()
	d.ProcedureVersion = r.small()
	d.Kind = engine.Kind(r.name())
	d.Channel = engine.Channel(r.name())
	d.ReceivingUnit = r.name()
	d.ReceivedBy = r.name()
	d.RegisterBook = r.name()
	d.RegisterNo = r.small()
	d.State = r.name()
	d.Unit = r.name()
	d.Status = engine.Status(r.name())
	d.ReceivedAt = r.time()
	d.StartAt = r.time()
	d.DueAt = r.timePtr()
	d.AppointmentAt = r.timePtr()
	d.StepStartedAt = r.time()
	d.StepDueAt = r.timePtr()
	d.Assignee = r.name()
	d.StepVisit = r.small()
	d.FinishedAt = r.timePtr()
	d.Result = engine.Outcome(r.name())
	d.Timeliness = engine.Timeliness(r.name())
	d.WorkTaken = time.Duration(r.int())
	if n := r.count(); n > 0 {
		d.Components = make([]engine.ComponentReceipt, n)
		for i := range d.Components {
			c := &d.Components[i]
			c.ID, c.Copy, c.Count = r.name(), engine.CopyKind(r.name()), r.small()
		}
	}
	if n := r.count(); n > 0 {
		d.Files = make([]engine.FileRef, n)
		for i := range d.Files {
			f := &d.Files[i]
			f.ID, f.SHA256, f.Size, f.ContentType = r.str(), r.str(), r.int(), r.name()
			f.Name, f.Component, f.Result, f.Signed = r.str(), r.name(), r.bool(), r.bool()
			f.Supersedes, f.ReusedFrom, f.At, f.By = r.str(), r.str(), r.time(), r.name()
		}
	}
	if n := r.count(); n > 0 {
		d.Fees = make([]engine.FeeRecord, n)
		for i := range d.Fees {
			f := &d.Fees[i]
			f.ID, f.Amount, f.Copies, f.Paid = r.name(), r.int(), r.small(), r.bool()
			f.Method, f.Reference, f.Receipt = engine.PayMethod(r.name()), r.str(), r.str()
			f.PaidAt, f.By = r.timePtr(), r.name()
		}
	}
	if r.bool() {
		d.Rating = &engine.Rating{At: r.time()}
		n := r.count()
		d.Rating.Scores = make(map[string]int, n)
		for range n {
			k := r.name()
			d.Rating.Scores[k] = r.small()
		}
		d.Rating.Comment = r.str()
	}
	if n := r.count(); n > 0 {
		d.Ledger = make([]engine.ClockEvent, n)
		for i := range d.Ledger {
			e := &d.Ledger[i]
			e.Kind, e.At, e.Limit = engine.ClockEventKind(r.name()), r.time(), r.name()
			e.Appointment, e.Action = r.timePtr(), r.name()
		}
	}
	hasHistory := r.bool()
	n := r.count()
	if hasHistory {
		d.History = make([]engine.HistoryRow, n)
	}
	for i := range n {
		var h engine.HistoryRow
		h.Seq, h.At, h.Action, h.Actor = r.small(), r.time(), r.name(), r.name()
		h.FromState, h.ToState, h.FromUnit, h.ToUnit = r.name(), r.name(), r.name(), r.name()
		h.StepStartedAt, h.StepDueAt, h.StepResult = r.timePtr(), r.timePtr(), engine.Timeliness(r.name())
		if hasHistory {
			d.History[i] = h
		}
	}
	d.NextCheckAt = r.timePtr()
	d.Version = r.int()
	d.UpdatedAt = r.time()
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes left over", ErrFormat, len(r.b))
	}
	return d, nil
}
