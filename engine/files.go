package engine

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The dossier's files (issue 10): scans of the components the desk
// receives and the electronic result, kept with the dossier (Decree
// 61/2018 Art 17.1 and 20.5, carried over by Decree 118/2025). Attaching
// a file, reusing one and downloading one are each a history row, written
// with one conditional write like any transition; the bytes go to the
// FileStore first, so the row never points at missing bytes.

// History actions of the dossier's files. Procedures may not declare
// actions with these ids.
const (
	// ActionAttachFile records an upload; inputs "file", "sha256",
	// "component" or "result", and "supersedes" or "reused_from" when set.
	ActionAttachFile = "attach_file"
	// ActionDownloadFile records a download; input "file".
	ActionDownloadFile = "download_file"
)

// Default caps of uploads (serve's flags --max-file and --max-dossier-files).
const (
	DefaultMaxFileBytes    = 20 << 20
	DefaultMaxDossierBytes = 200 << 20
)

// componentIDPattern is the syntax of a component id (the procedure
// language's reference syntax), accepted when the procedure declares no
// components.
var componentIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// AttachInput says what an uploaded or reused file is.
type AttachInput struct {
	// Actor is a directory person id.
	Actor string
	// Component is the component the file is a scan of; empty with Result.
	Component string
	// Result marks the electronic result.
	Result bool
	// Supersedes is the id of the dossier's file this one corrects.
	Supersedes string
	// Name is the uploaded file's name (cleaned: metadata only).
	Name string
}

// StoredFile is what the file store and the checks made of an upload.
type StoredFile struct {
	SHA256      string
	Size        int64
	ContentType string
	Signed      bool
}

// FileSuperseded reports whether the file id of d was corrected by a
// later one (some file Supersedes it).
func FileSuperseded(d *Dossier, id string) bool {
	for _, f := range d.Files {
		if f.Supersedes == id {
			return true
		}
	}
	return false
}

// FindFile returns d's file id.
func FindFile(d *Dossier, id string) (FileRef, bool) {
	for _, f := range d.Files {
		if f.ID == id {
			return f, true
		}
	}
	return FileRef{}, false
}

// FileDossier returns the code of the dossier a file id belongs to: ids
// are "<dossier code>-F<n>", so a reuse names one file and the dossier it
// comes from at once.
func FileDossier(id string) (string, bool) {
	i := strings.LastIndex(id, "-F")
	if i <= 0 {
		return "", false
	}
	return id[:i], true
}

// storedBytes is what d's own files weigh against its cap: reused files
// are not new bytes.
func storedBytes(d *Dossier) int64 {
	var n int64
	for _, f := range d.Files {
		if f.ReusedFrom == "" {
			n += f.Size
		}
	}
	return n
}

// CanAttach reports whether in may be attached to d now, before any byte
// is stored. The rights follow who holds the paper: the desk (a member
// of the receiving unit) scans the components it received, and the unit
// acting in the current state attaches the result it issues (Decree
// 61/2018 Art 17.1 and 20.5). A finished dossier takes no file: its
// record is closed. The target must be a component the procedure
// declares (any id of the right syntax while it declares none) or the
// result, and a superseded file must be a live file of the same target.
func CanAttach(env Env, d *Dossier, in AttachInput) error {
	if d.IsFinished() {
		return &FinishedError{Code: d.Code, State: d.State}
	}
	if len(d.History) >= MaxHistoryRows-1 {
		return &HistoryFullError{Code: d.Code, Rows: len(d.History)}
	}
	switch {
	case in.Result && in.Component != "":
		return &InvalidInputError{Field: "component", Reason: "a file is a component's scan or the result, not both",
			ReasonVI: "một tệp là bản chụp thành phần hoặc là kết quả, không cả hai"}
	case in.Result:
		if d.Unit == "" {
			return &NotAllowedError{Action: ActionAttachFile, State: d.State}
		}
		if err := checkMember(env.Directory, in.Actor, []string{d.Unit}); err != nil {
			return err
		}
	default:
		if err := checkComponent(env.Procedure, in.Component); err != nil {
			return err
		}
		if err := checkMember(env.Directory, in.Actor, []string{d.ReceivingUnit}); err != nil {
			return err
		}
	}
	if in.Supersedes != "" {
		old, ok := FindFile(d, in.Supersedes)
		if !ok {
			return &NotFoundError{What: "file", ID: in.Supersedes}
		}
		if old.Result != in.Result || old.Component != in.Component {
			return &InvalidInputError{Field: "supersedes", Reason: "a file supersedes a file of the same component or the result",
				ReasonVI: "tệp thay thế phải cùng thành phần (hoặc cùng là kết quả) với tệp bị thay"}
		}
		if FileSuperseded(d, in.Supersedes) {
			return &InvalidInputError{Field: "supersedes", Reason: in.Supersedes + " is already superseded",
				ReasonVI: in.Supersedes + " đã được thay thế"}
		}
	}
	return nil
}

func checkComponent(p *Procedure, id string) error {
	if len(p.Components) == 0 {
		if componentIDPattern.MatchString(id) {
			return nil
		}
		return &InvalidInputError{Field: "component", Reason: fmt.Sprintf("%q is not a component id (a-z, 0-9, - and _)", id),
			ReasonVI: fmt.Sprintf("%q không phải mã thành phần hồ sơ (a-z, 0-9, - và _)", id)}
	}
	for _, c := range p.Components {
		if c.ID == id {
			return nil
		}
	}
	return &InvalidInputError{Field: "component", Reason: fmt.Sprintf("procedure %s has no component %q", p.Key(), id),
		ReasonVI: fmt.Sprintf("thủ tục %s không có thành phần %q", p.Key(), id)}
}

// AttachFile is the pure step of an upload or a reuse (see CanAttach):
// the dossier with the new FileRef (id "<code>-F<n>") and a history row
// that records it. reusedFrom is the earlier dossier's code for a reuse.
// The old file of a supersede stays as it is: it is superseded because
// the new one names it.
func AttachFile(env Env, d *Dossier, in AttachInput, f StoredFile, reusedFrom string, now time.Time) (*Decision, FileRef, error) {
	if err := CanAttach(env, d, in); err != nil {
		return nil, FileRef{}, err
	}
	now = storeInstant(now)
	ref := FileRef{
		ID: fmt.Sprintf("%s-F%d", d.Code, len(d.Files)+1), SHA256: f.SHA256, Size: f.Size, ContentType: f.ContentType,
		Name: CleanFileName(in.Name), Component: in.Component, Result: in.Result, Signed: f.Signed,
		Supersedes: in.Supersedes, ReusedFrom: reusedFrom, At: now, By: in.Actor,
	}
	inputs := map[string]string{"file": ref.ID, "sha256": ref.SHA256}
	if ref.Result {
		inputs["result"] = "true"
	} else {
		inputs["component"] = ref.Component
	}
	if ref.Supersedes != "" {
		inputs["supersedes"] = ref.Supersedes
	}
	if reusedFrom != "" {
		inputs["reused_from"] = reusedFrom
	}
	nd := d.Clone()
	row := HistoryRow{
		Seq: len(d.History) + 1, At: now, Action: ActionAttachFile, Actor: in.Actor,
		FromState: d.State, ToState: d.State, FromUnit: d.Unit, ToUnit: d.Unit, Inputs: inputs,
	}
	nd.Files = append(nd.Files, ref)
	nd.History = append(nd.History, row)
	nd.UpdatedAt = now
	return &Decision{Dossier: nd, Row: row}, ref, nil
}

// DownloadFile is the pure step of a download: a history row naming the
// file, who read it and the version it moved from (ReadOnlySince). It is refused only when the file is not d's; a
// dossier whose history is full (MaxHistoryRows) is still read, without a
// row (recorded false), since reading must never be blocked.
func DownloadFile(d *Dossier, reader, id string, now time.Time) (*Decision, FileRef, error) {
	ref, ok := FindFile(d, id)
	if !ok {
		return nil, FileRef{}, &NotFoundError{What: "file", ID: id}
	}
	if len(d.History) >= MaxHistoryRows-1 {
		return &Decision{Dossier: d.Clone(), Replay: true}, ref, nil
	}
	now = storeInstant(now)
	nd := d.Clone()
	row := HistoryRow{
		Seq: len(d.History) + 1, At: now, Action: ActionDownloadFile, Actor: reader,
		FromState: d.State, ToState: d.State, FromUnit: d.Unit, ToUnit: d.Unit,
		Inputs: map[string]string{"file": id, "version": strconv.FormatInt(d.Version, 10)},
	}
	nd.History = append(nd.History, row)
	nd.UpdatedAt = now
	return &Decision{Dossier: nd, Row: row}, ref, nil
}

// ReadOnlySince reports whether d moved from version expect to its
// version only by downloads: a form opened at expect is then not stale,
// since reading a file changes nothing an action decides on. An officer
// opens the scan, then approves from the same page. Each download row
// names the version it moved from, which makes the chain checkable.
func ReadOnlySince(d *Dossier, expect int64) bool {
	v := d.Version
	for i := len(d.History) - 1; i >= 0 && v > expect; i-- {
		h := d.History[i]
		if h.Action != ActionDownloadFile || h.Inputs["version"] != strconv.FormatInt(v-1, 10) {
			return false
		}
		v--
	}
	return v == expect
}

// Files attaches, reuses and serves a dossier's files: the engine for the
// rows, the file store for the bytes, and the caps.
type Files struct {
	Engine *Engine
	Store  FileStore
	// MaxFile and MaxDossier cap one file and a dossier's own files in
	// all (0: DefaultMaxFileBytes, DefaultMaxDossierBytes).
	MaxFile, MaxDossier int64
}

// MaxFileBytes is the cap of one file in effect: MaxFile, or its
// default.
func (fs *Files) MaxFileBytes() int64 {
	if fs.MaxFile > 0 {
		return fs.MaxFile
	}
	return DefaultMaxFileBytes
}

// MaxDossierBytes is the cap of a dossier's own files in effect:
// MaxDossier, or its default.
func (fs *Files) MaxDossierBytes() int64 {
	if fs.MaxDossier > 0 {
		return fs.MaxDossier
	}
	return DefaultMaxDossierBytes
}

// room is the cap of the next file of a dossier whose files already
// weigh used: the file's cap, or what is left of the dossier's when that
// is less (perDossier); a dossier with no room left is refused.
func (fs *Files) room(used int64) (limit int64, perDossier bool, err error) {
	limit = fs.MaxFileBytes()
	if left := fs.MaxDossierBytes() - used; left < limit {
		limit, perDossier = left, true
	}
	if limit <= 0 {
		return 0, false, &FileTooLargeError{Limit: fs.MaxDossierBytes(), PerDossier: true}
	}
	return limit, perDossier, nil
}

// Attach stores body as a file of dossier code and records it: rights
// and target checked first (CanAttach), then the bytes sniffed (an
// accepted type, a name that agrees), streamed through the hash, the
// caps and the signature scan into the store, and only then the row
// written. Any refusal stores nothing the dossier refers to. A lost race
// on the dossier's version recomputes the row, never re-reads the body.
func (fs *Files) Attach(ctx context.Context, code string, in AttachInput, body io.Reader) (*Dossier, FileRef, error) {
	e := fs.Engine
	d, err := e.Get(ctx, code)
	if err != nil {
		return nil, FileRef{}, err
	}
	env, err := e.EnvFor(d)
	if err != nil {
		return nil, FileRef{}, err
	}
	if err := CanAttach(env, d, in); err != nil {
		return nil, FileRef{}, err
	}
	limit, perDossier, err := fs.room(storedBytes(d))
	if err != nil {
		return nil, FileRef{}, err
	}
	f, err := fs.put(ctx, in.Name, body, limit, perDossier)
	if err != nil {
		return nil, FileRef{}, err
	}
	return fs.record(ctx, d, in, f, "", perDossier)
}

// record writes the FileRef of stored bytes with one conditional write,
// recomputed on a lost race; the dossier cap is checked again on the
// fresh dossier, since a concurrent upload may have filled it.
func (fs *Files) record(ctx context.Context, d *Dossier, in AttachInput, f StoredFile, reusedFrom string, capped bool) (*Dossier, FileRef, error) {
	e := fs.Engine
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			var err error
			if d, err = e.Get(ctx, d.Code); err != nil {
				return nil, FileRef{}, err
			}
		}
		if reusedFrom == "" && storedBytes(d)+f.Size > fs.MaxDossierBytes() {
			return nil, FileRef{}, &FileTooLargeError{Limit: fs.MaxDossierBytes(), PerDossier: true}
		}
		env, err := e.EnvFor(d)
		if err != nil {
			return nil, FileRef{}, err
		}
		dec, ref, err := AttachFile(env, d, in, f, reusedFrom, e.Now.Time())
		if err != nil {
			return nil, FileRef{}, err
		}
		nd := dec.Dossier
		nd.Version = d.Version + 1
		err = e.Store.Apply(ctx, nd, d.Version, nil)
		if ErrorCode(err) == ECONFLICT && attempt+1 < e.retries() {
			continue
		}
		if err != nil {
			return nil, FileRef{}, fmt.Errorf("attach file to %s: %w", d.Code, err)
		}
		return nd, ref, nil
	}
}

// Reuse attaches to dossier code, as a component's scan, the file fileID
// of an earlier dossier of the same applicant (the same ID number, not
// empty): no new bytes, a FileRef with ReusedFrom set (Decision 766
// indicator 4.3, reuse of digitised documents). The earlier file must
// not be superseded.
func (fs *Files) Reuse(ctx context.Context, code string, in AttachInput, fileID string) (*Dossier, FileRef, error) {
	e := fs.Engine
	d, err := e.Get(ctx, code)
	if err != nil {
		return nil, FileRef{}, err
	}
	env, err := e.EnvFor(d)
	if err != nil {
		return nil, FileRef{}, err
	}
	if in.Result {
		return nil, FileRef{}, &InvalidInputError{Field: "reuse", Reason: "a result is issued for this dossier, not reused",
			ReasonVI: "kết quả phải được cấp cho hồ sơ này, không dùng lại"}
	}
	if err := CanAttach(env, d, in); err != nil {
		return nil, FileRef{}, err
	}
	from, ok := FileDossier(fileID)
	if !ok || from == code {
		return nil, FileRef{}, &NotFoundError{What: "file", ID: fileID}
	}
	src, err := e.Get(ctx, from)
	if err != nil {
		return nil, FileRef{}, &NotFoundError{What: "file", ID: fileID}
	}
	old, ok := FindFile(src, fileID)
	if !ok {
		return nil, FileRef{}, &NotFoundError{What: "file", ID: fileID}
	}
	id := strings.TrimSpace(d.Applicant.IDNo)
	if id == "" || id != strings.TrimSpace(src.Applicant.IDNo) {
		return nil, FileRef{}, &ForbiddenError{Person: in.Actor, Reason: "a file is reused only from a dossier of the same applicant (same ID number)"}
	}
	if FileSuperseded(src, fileID) {
		return nil, FileRef{}, &InvalidInputError{Field: "reuse", Reason: fileID + " was superseded; reuse its correction",
			ReasonVI: fileID + " đã được thay thế; hãy dùng lại tệp thay thế"}
	}
	if in.Name == "" {
		in.Name = old.Name
	}
	f := StoredFile{SHA256: old.SHA256, Size: old.Size, ContentType: old.ContentType, Signed: old.Signed}
	return fs.record(ctx, d, in, f, src.Code, false)
}

// Open returns file id of dossier code for reader, who must be allowed
// to read the dossier (CanRead), and records the download in its history
// first: a download that could not be recorded is not served.
func (fs *Files) Open(ctx context.Context, reader *Person, code, id string) (FileRef, io.ReadCloser, error) {
	e := fs.Engine
	for attempt := 0; ; attempt++ {
		d, err := e.Read(ctx, reader, code)
		if err != nil {
			return FileRef{}, nil, err
		}
		dec, ref, err := DownloadFile(d, reader.ID, id, e.Now.Time())
		if err != nil {
			return FileRef{}, nil, err
		}
		if !dec.Replay {
			nd := dec.Dossier
			nd.Version = d.Version + 1
			err = e.Store.Apply(ctx, nd, d.Version, nil)
			if ErrorCode(err) == ECONFLICT && attempt+1 < e.retries() {
				continue
			}
			if err != nil {
				return FileRef{}, nil, fmt.Errorf("record download of %s: %w", id, err)
			}
		}
		rc, _, err := fs.Store.Open(ctx, ref.SHA256)
		if err != nil {
			return FileRef{}, nil, fmt.Errorf("open file %s: %w", id, err)
		}
		return ref, rc, nil
	}
}
