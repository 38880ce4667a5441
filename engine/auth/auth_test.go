package auth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

func testDirectory(t *testing.T) *engine.Directory {
	t.Helper()
	d, err := engine.NewDirectory(
		[]engine.Unit{{ID: "desk"}, {ID: "office"}},
		[]engine.Person{
			{ID: "an", Units: []string{"desk"}, Roles: []engine.Role{engine.RoleOfficer}, Active: true},
			{ID: "binh", Units: []string{"office"}, Roles: []engine.Role{engine.RoleHead}, Active: true},
			{ID: "admin", Roles: []engine.Role{engine.RoleAdmin}, Active: true},
			{ID: "xem", Roles: []engine.Role{engine.RoleViewer}, Active: true},
			{ID: "cu", Units: []string{"desk"}, Roles: []engine.Role{engine.RoleOfficer}, Active: false},
		})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newService(t *testing.T, store CredentialStore) (*Service, *fakeClock) {
	clk := &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	return &Service{Store: store, Directory: testDirectory(t), Now: clk.Now, Cost: bcrypt.MinCost}, clk
}

func TestFileStoreIsPrivateAtomicAndReloads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data", "credentials.json")
	fs, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newService(t, fs)
	if err := s.SetPassword(ctx, "an", "mật-khẩu-dài"); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("credentials.json mode = %v, want 0600", st.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "mật-khẩu-dài") {
		t.Fatal("password stored in clear")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if e.Name() != "credentials.json" && e.Name() != "credentials.json.lock" {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	fs2, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := newService(t, fs2)
	if _, err := s2.CheckPassword(ctx, "an", "mật-khẩu-dài", "10.0.0.1"); err != nil {
		t.Fatalf("password lost across reopen: %v", err)
	}
}

// TestFileStoreSharedByTwoProcesses models "motcua users passwd" writing
// the file while "motcua serve" holds it open: the server sees the new
// password without a restart, and its own later write keeps it.
func TestFileStoreSharedByTwoProcesses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "credentials.json")
	server, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cli, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := newService(t, server)
	admin, _ := newService(t, cli)
	if err := srv.SetPassword(ctx, "binh", "mật-khẩu-của-bình"); err != nil {
		t.Fatal(err)
	}
	if err := admin.SetPassword(ctx, "an", "mật-khẩu-của-an"); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.CheckPassword(ctx, "an", "mật-khẩu-của-an", "10.0.0.1"); err != nil {
		t.Fatalf("server does not see a password set by another process: %v", err)
	}
	if err := srv.SetPassword(ctx, "xem", "mật-khẩu-của-xem"); err != nil {
		t.Fatal(err)
	}
	again, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"an", "binh", "xem"} {
		if _, err := again.Credential(ctx, p); err != nil {
			t.Errorf("credential of %s lost after interleaved writes: %v", p, err)
		}
	}
}

func TestPasswordRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newService(t, NewMemoryStore())
	var weak *WeakPasswordError
	if err := s.SetPassword(ctx, "an", "short"); !errors.As(err, &weak) {
		t.Errorf("short password: err = %v, want WeakPasswordError", err)
	}
	if err := s.SetPassword(ctx, "an", strings.Repeat("x", 73)); engine.ErrorCode(err) != engine.EINVALID {
		t.Errorf("73-byte password: err = %v, want invalid (bcrypt truncates at 72)", err)
	}
	if err := s.SetPassword(ctx, "nobody", "long enough"); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("unknown person: err = %v, want not_found", err)
	}
	if err := s.SetPassword(ctx, "an", "correct horse"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CheckPassword(ctx, "an", "wrong horse", "ip1"); engine.ErrorCode(err) != engine.EUNAUTHORIZED {
		t.Errorf("wrong password: err = %v, want unauthorized", err)
	}
	if p, err := s.CheckPassword(ctx, "an", "correct horse", "ip1"); err != nil || p.ID != "an" {
		t.Errorf("right password: %v, %v", p, err)
	}
	if err := s.SetPassword(ctx, "cu", "correct horse"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CheckPassword(ctx, "cu", "correct horse", "ip1"); engine.ErrorCode(err) != engine.EUNAUTHORIZED {
		t.Errorf("inactive person signed in: err = %v", err)
	}
	if _, err := s.CheckPassword(ctx, "binh", "anything at all", "ip1"); engine.ErrorCode(err) != engine.EUNAUTHORIZED {
		t.Errorf("person without password signed in: err = %v", err)
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newService(t, NewMemoryStore())
	tok, err := s.NewToken(ctx, "binh", "ci")
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.TokenPerson(ctx, tok)
	if err != nil || p.ID != "binh" {
		t.Fatalf("TokenPerson = %v, %v", p, err)
	}
	c, _ := s.Store.Credential(ctx, "binh")
	if strings.Contains(c.Tokens[0].Hash, tok[len(tok)-10:]) {
		t.Error("token secret stored in clear")
	}
	for name, bad := range map[string]string{
		"tampered secret": tok[:len(tok)-1] + "A",
		"other person":    strings.Replace(tok, "binh.", "an.", 1),
		"no prefix":       strings.TrimPrefix(tok, "mct_"),
		"empty":           "",
		"garbage":         "mct_...",
	} {
		if _, err := s.TokenPerson(ctx, bad); engine.ErrorCode(err) != engine.EUNAUTHORIZED {
			t.Errorf("%s: err = %v, want unauthorized", name, err)
		}
	}
	if err := s.RevokeToken(ctx, "binh", c.Tokens[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenPerson(ctx, tok); err == nil {
		t.Error("revoked token still works")
	}
}

func TestSessionsExpireAndCarryCSRF(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s, clk := newService(t, NewMemoryStore())
	s.SessionTTL = time.Hour
	ss, err := s.NewSession(ctx, "an")
	if err != nil {
		t.Fatal(err)
	}
	got, p, err := s.Session(ctx, ss.ID)
	if err != nil || got == nil || p.ID != "an" || got.CSRF == "" || got.CSRF != ss.CSRF {
		t.Fatalf("Session = %v %v %v", got, p, err)
	}
	if !CheckCSRF(got, ss.CSRF) || CheckCSRF(got, "x"+ss.CSRF) || CheckCSRF(got, "") || CheckCSRF(got, ss.ID) {
		t.Error("CSRF check wrong")
	}
	clk.Add(50 * time.Minute)
	if got, _, _ := s.Session(ctx, ss.ID); got == nil {
		t.Error("session used within its TTL expired")
	}
	clk.Add(61 * time.Minute)
	if got, _, _ := s.Session(ctx, ss.ID); got != nil {
		t.Error("idle session outlived its TTL")
	}
	ss2, _ := s.NewSession(ctx, "an")
	if err := s.EndSession(ctx, ss2.ID); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Session(ctx, ss2.ID); got != nil {
		t.Error("ended session still valid")
	}
	ss3, _ := s.NewSession(ctx, "cu") // inactive person
	if got, _, _ := s.Session(ctx, ss3.ID); got != nil {
		t.Error("session of an inactive person accepted")
	}
}

func TestRights(t *testing.T) {
	t.Parallel()
	dir := testDirectory(t)
	d := &engine.Dossier{Code: "DESK-1", Unit: "desk", ReceivingUnit: "desk",
		History: []engine.HistoryRow{{ToUnit: "desk"}}}
	moved := &engine.Dossier{Code: "DESK-2", Unit: "office", ReceivingUnit: "desk",
		History: []engine.HistoryRow{{ToUnit: "desk"}, {FromUnit: "desk", ToUnit: "office"}}}
	foreign := &engine.Dossier{Code: "X-1", Unit: "other", ReceivingUnit: "other"}
	cases := []struct {
		rule   string
		person string
		d      *engine.Dossier
		want   bool
	}{
		{"officer reads own unit's dossier", "an", d, true},
		{"officer reads a dossier received by their unit and moved on", "an", moved, true},
		{"head reads their unit's dossier", "binh", moved, true},
		{"head does not read a dossier never with their unit", "binh", d, false},
		{"officer does not read another unit's dossier", "an", foreign, false},
		{"admin reads all", "admin", foreign, true},
		{"viewer reads all", "xem", foreign, true},
	}
	for _, c := range cases {
		p, _ := dir.Person(c.person)
		if got := CanRead(p, c.d); got != c.want {
			t.Errorf("%s: CanRead = %v, want %v", c.rule, got, c.want)
		}
	}
	viewer, _ := dir.Person("xem")
	if CanAct(viewer) {
		t.Error("viewer may act")
	}
	officer, _ := dir.Person("an")
	if CanManage(officer) || CanSeeDashboard(officer) {
		t.Error("officer may manage or see the dashboard")
	}
	if u, all := ListUnits(officer); all || len(u) != 1 || u[0] != "desk" {
		t.Errorf("ListUnits(officer) = %v %v", u, all)
	}
}

// TestCredentialStoreContract runs the shared CredentialStore contract
// (enginetest.RunCredentialSuite, which the MongoDB store also passes)
// against the file store and the in-memory one.
func TestCredentialStoreContract(t *testing.T) {
	t.Parallel()
	t.Run("FileStore", func(t *testing.T) {
		t.Parallel()
		enginetest.RunCredentialSuite(t, func(t *testing.T) CredentialStore {
			s, err := OpenFile(filepath.Join(t.TempDir(), "credentials.json"))
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
	t.Run("MemoryStore", func(t *testing.T) {
		t.Parallel()
		enginetest.RunCredentialSuite(t, func(*testing.T) CredentialStore { return NewMemoryStore() })
	})
}
