package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sort"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/filestore"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// People added to the sample directory: an admin and a viewer, both in
// no unit, so their reading rights come from their roles alone.
const (
	Admin  = "quan-tri"
	Viewer = "theo-doi"
	// Leader holds the leader role: the agency's leadership, who sees
	// every dossier and the agency's figures.
	Leader = "lanh-dao-co-quan"
	// PortalAcct is a public service portal's account (engine.RolePortal).
	PortalAcct = "cong-dvc"
)

// testDirectory is enginetest's sample directory plus an admin and a viewer.
func testDirectory(t testing.TB) *engine.Directory {
	t.Helper()
	base := enginetest.SampleDirectory()
	var units []engine.Unit
	for _, u := range base.Units() {
		units = append(units, *u)
	}
	var people []engine.Person
	for _, p := range base.People() {
		people = append(people, *p)
	}
	people = append(people,
		engine.Person{ID: Admin, Name: "Quản Trị", Roles: []engine.Role{engine.RoleAdmin}, Active: true},
		engine.Person{ID: Viewer, Name: "Theo Dõi", Roles: []engine.Role{engine.RoleViewer}, Active: true},
		engine.Person{ID: Leader, Name: "Lãnh Đạo", Units: []string{enginetest.UnitLeader}, Roles: []engine.Role{engine.RoleLeader}, Active: true},
		engine.Person{ID: PortalAcct, Name: "Cổng DVC", Roles: []engine.Role{engine.RolePortal}, Active: true},
	)
	d, err := engine.NewDirectory(units, people)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// bundle is what a test works with: a running server on a real SQLite
// store, its stub clock, and a bearer token per person.
type bundle struct {
	t      testing.TB
	srv    *Server
	ts     *httptest.Server
	store  engine.Store
	eng    *engine.Engine
	auth   *auth.Service
	clock  *enginetest.StubClock
	tokens map[string]string
}

type setupOpts struct {
	reports http.Handler
	maxBody int64
	// procs are procedures added to the catalog beside the sample one.
	procs []*engine.Procedure
	// trusted is Config.TrustedProxies (the test client connects from
	// 127.0.0.1).
	trusted []netip.Prefix
	// ratingKey is Config.RatingKey; nil turns rating off.
	ratingKey []byte
	// maxFile and maxDossier are the file caps (0: the defaults).
	maxFile, maxDossier int64
}

// Heading words of printed documents in every test server.
const (
	testAgency = "UBND XÃ THỬ NGHIỆM"
	testPlace  = "Thử Nghiệm"
)

func setup(t testing.TB, opts ...setupOpts) *bundle {
	t.Helper()
	var o setupOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	store, err := sqlitestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	clock := enginetest.NewStubClock(enginetest.Monday)
	dir := testDirectory(t)
	cat, err := engine.NewCatalog(append([]*engine.Procedure{enginetest.SampleProcedure()}, o.procs...)...)
	if err != nil {
		t.Fatal(err)
	}
	eng := &engine.Engine{Store: store, Catalog: cat, Directory: dir, Calendar: calendar.VN(), Now: clock.Now}
	as := &auth.Service{Store: auth.NewMemoryStore(), Directory: dir, Now: clock.Now, Cost: bcrypt.MinCost}
	disk, err := filestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	files := &engine.Files{Engine: eng, Store: disk, MaxFile: o.maxFile, MaxDossier: o.maxDossier}
	srv, err := New(Config{Engine: eng, Auth: as, Reports: o.reports, MaxBodyBytes: o.maxBody, Files: files,
		Agency: testAgency, Place: testPlace, TrustedProxies: o.trusted, RatingKey: o.ratingKey,
		Diagram: func(p *engine.Procedure) string { return "stateDiagram-v2\n  [*] --> " + p.Initial }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	b := &bundle{t: t, srv: srv, ts: ts, store: store, eng: eng, auth: as, clock: clock, tokens: map[string]string{}}
	for _, p := range dir.People() {
		tok, err := as.NewToken(context.Background(), p.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		b.tokens[p.ID] = tok
	}
	return b
}

// resp is a decoded answer.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r resp) errCode(t testing.TB) engine.Code {
	t.Helper()
	var e ErrorBody
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %q: %v", r.body, err)
	}
	if e.Error.Message == "" || e.Error.MessageEN == "" {
		t.Errorf("error without both messages: %s", r.body)
	}
	return e.Error.Code
}

// call sends a request as person (empty: anonymous). body is marshalled
// unless it is a string, sent as is.
func (b *bundle) call(method, path, person string, body any, hdr ...string) resp {
	b.t.Helper()
	var rd io.Reader
	switch v := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(v)
	case []byte:
		rd = bytes.NewReader(v)
	default:
		data, err := json.Marshal(v)
		if err != nil {
			b.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	var sent []byte
	if rd != nil {
		sent, _ = io.ReadAll(rd)
		rd = bytes.NewReader(sent)
	}
	req, err := http.NewRequest(method, b.ts.URL+path, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if person != "" {
		req.Header.Set("Authorization", "Bearer "+b.tokens[person])
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := b.ts.Client().Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	checkAgainstDoc(b.t, req, sent, res.StatusCode, res.Header, data)
	return resp{status: res.StatusCode, header: res.Header, body: data}
}

// receive makes a dossier through the engine and moves it with actions
// (each as the sample flow's actor) before the test looks at it.
func (b *bundle) receive(name string, actions ...string) *engine.Dossier {
	b.t.Helper()
	ctx := context.Background()
	d, err := b.eng.Receive(ctx, enginetest.SampleCode, 0, enginetest.SampleReception(name))
	if err != nil {
		b.t.Fatal(err)
	}
	actor := map[string]string{"chuyen": enginetest.Receiver, "trinh": enginetest.Officer, "ky": enginetest.Chairman,
		"tra": enginetest.Receiver, "yeu_cau_bo_sung": enginetest.Officer}
	for _, a := range actions {
		d, err = b.eng.Act(ctx, d.Code, engine.ActInput{Action: a, Actor: actor[a], Inputs: map[string]string{"reason": "thiếu giấy tờ"}}, 0)
		if err != nil {
			b.t.Fatal(err)
		}
	}
	return d
}

// snapshot is everything the store holds, to assert bad input wrote
// nothing.
func (b *bundle) snapshot() string {
	b.t.Helper()
	ctx := context.Background()
	ds, err := b.store.List(ctx, engine.Query{})
	if err != nil {
		b.t.Fatal(err)
	}
	ns, err := b.store.Notifications(ctx, "", 10000)
	if err != nil {
		b.t.Fatal(err)
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i].ID < ns[j].ID })
	data, _ := json.Marshal(struct {
		D []*engine.Dossier
		N []engine.Notification
	}{ds, ns})
	return string(data)
}

func struct2query() engine.Query { return engine.Query{} }

func actInput(action, actor string) engine.ActInput {
	return engine.ActInput{Action: action, Actor: actor}
}
