package httpapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

// The dossier page's files panel: the files of each component and the
// result, with download links, and an upload form (several files at
// once) for those who may attach (engine.CanAttach).

// filesWords are the words of the files panel, kept apart from messages
// so that parallel work on the pages does not edit one map; init merges
// them.
var filesWords = map[string][2]string{
	"files":               {"Tệp hồ sơ", "Files"},
	"files_none":          {"Chưa có tệp nào.", "No files yet."},
	"file_result":         {"Kết quả giải quyết", "Result"},
	"file_upload":         {"Tải tệp lên", "Upload files"},
	"file_target":         {"Tệp của", "Files of"},
	"file_component_hint": {"Mã thành phần hồ sơ (chữ thường, số, - và _)", "Component id (lowercase letters, digits, - and _)"},
	"file_choose":         {"Chọn tệp (PDF, JPEG, PNG, TIFF)", "Choose files (PDF, JPEG, PNG, TIFF)"},
	"file_supersedes":     {"Thay thế tệp", "Replaces file"},
	"file_supersedes_no":  {"(không thay thế)", "(replaces none)"},
	"file_limits":         {"Mỗi tệp tối đa %s; cả hồ sơ tối đa %s.", "At most %s per file and %s per dossier."},
	"file_signed":         {"có chữ ký số", "digitally signed"},
	"file_superseded":     {"đã được thay thế", "superseded"},
	"file_reused":         {"dùng lại từ hồ sơ", "reused from dossier"},
	"file_download":       {"Tải về", "Download"},
	"files_uploaded":      {"Đã lưu %d tệp", "%d file(s) stored"},
	"files_partly":        {"Đã lưu %d tệp trước khi gặp lỗi: %s", "%d file(s) stored before an error: %s"},
	"attach_file":         {"Đính kèm tệp", "File attached"},
	"download_file":       {"Tải tệp về", "File downloaded"},
}

func init() {
	for k, v := range filesWords {
		if _, dup := messages[k]; !dup {
			messages[k] = v
		}
	}
}

// filesPanel is the files section of the dossier page.
type filesPanel struct {
	Code   string
	Groups []fileGroup
	// Upload is nil when the reader may attach nothing now.
	Upload *uploadPanel
}

// fileGroup is the files of one component, or of the result.
type fileGroup struct {
	ID, Name string
	Result   bool
	Files    []fileRow
}

// fileRow is one file as the page shows it.
type fileRow struct {
	engine.FileRef
	URL        string
	ByName     string
	SizeText   string
	Superseded bool
}

// uploadPanel is what the upload form offers.
type uploadPanel struct {
	// Targets are the components (declared, or already holding files)
	// and the result, each as the form's "target" value.
	Targets []fileTarget
	// FreeID asks for a component id in a text box: the procedure
	// declares no components.
	FreeID bool
	Live   []engine.FileRef
	Limits string
}

type fileTarget struct{ Value, Name string }

// targetResult is the form's "target" value of the result.
const targetResult = "__result"

func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// filesPanel builds the files section of d's page for q's person.
func (w *web) filesPanel(q *req, d *engine.Dossier, p *engine.Procedure) filesPanel {
	fp := filesPanel{Code: d.Code}
	names := map[string]string{}
	var order []string
	if p != nil {
		for _, c := range p.Components {
			names[c.ID] = pick(c.Name, c.NameEN, q.lang)
			order = append(order, c.ID)
		}
	}
	groups := map[string]*fileGroup{}
	group := func(id string, result bool) *fileGroup {
		key := id
		if result {
			key = targetResult
		}
		if g, ok := groups[key]; ok {
			return g
		}
		g := &fileGroup{ID: id, Name: names[id], Result: result}
		if g.Name == "" {
			g.Name = id
		}
		if result {
			g.Name = tr("file_result", q.lang)
		}
		groups[key] = g
		return g
	}
	for _, id := range order {
		group(id, false)
	}
	for _, f := range d.Files {
		g := group(f.Component, f.Result)
		g.Files = append(g.Files, fileRow{FileRef: f, URL: fileURL(d.Code, f.ID), ByName: w.personName(f.By),
			SizeText: sizeText(f.Size), Superseded: engine.FileSuperseded(d, f.ID)})
	}
	seen := map[string]bool{}
	for _, id := range order {
		fp.Groups = append(fp.Groups, *groups[id])
		seen[id] = true
	}
	for _, f := range d.Files {
		key := f.Component
		if f.Result {
			key = targetResult
		}
		if !seen[key] {
			seen[key] = true
			fp.Groups = append(fp.Groups, *groups[key])
		}
	}
	fp.Upload = w.uploadPanel(q, d, p, order, names)
	return fp
}

// uploadPanel offers what q's person may attach to d now, by the core's
// rule: nil when nothing.
func (w *web) uploadPanel(q *req, d *engine.Dossier, p *engine.Procedure, order []string, names map[string]string) *uploadPanel {
	fs := w.s.cfg.Files
	if fs == nil || q.person == nil || p == nil || !auth.CanAct(q.person) {
		return nil
	}
	env := engine.Env{Procedure: p, Directory: w.s.eng.Directory, Calendar: w.s.eng.Calendar}
	up := &uploadPanel{}
	probe := "to-khai"
	if len(order) > 0 {
		probe = order[0]
	}
	if engine.CanAttach(env, d, engine.AttachInput{Actor: q.person.ID, Component: probe}) == nil {
		if len(order) == 0 {
			up.FreeID = true
		}
		for _, id := range order {
			up.Targets = append(up.Targets, fileTarget{Value: id, Name: names[id]})
		}
	}
	if engine.CanAttach(env, d, engine.AttachInput{Actor: q.person.ID, Result: true}) == nil {
		up.Targets = append(up.Targets, fileTarget{Value: targetResult, Name: tr("file_result", q.lang)})
	}
	if len(up.Targets) == 0 && !up.FreeID {
		return nil
	}
	for _, f := range d.Files {
		if !engine.FileSuperseded(d, f.ID) && f.ReusedFrom == "" {
			up.Live = append(up.Live, f)
		}
	}
	up.Limits = fmt.Sprintf(tr("file_limits", q.lang), sizeText(fs.MaxFileBytes()), sizeText(fs.MaxDossierBytes()))
	return up
}

// uploadFiles is POST /dossiers/{code}/files from the page: multipart,
// the CSRF token first (checked before any byte of a file is read, so
// the body is never parsed into memory as page forms are), then
// "target", optional "supersedes", then the files. Each file is its own
// record: an error after some were stored says how many.
func (w *web) uploadFiles(rw http.ResponseWriter, r *http.Request) {
	q := &req{w: rw, r: r, lang: lang(r)}
	if c, err := r.Cookie(sessionCookie); err == nil {
		ss, p, err := w.s.auth.Session(r.Context(), c.Value)
		if err != nil {
			w.fail(q, err)
			return
		}
		q.person, q.session = p, ss
	}
	if q.person == nil || q.session == nil {
		w.fail(q, errorf(engine.EUNAUTHORIZED, "Phiên đăng nhập đã hết; hãy đăng nhập lại.", "Your session ended; sign in again."))
		return
	}
	if err := w.upload(q); err != nil {
		w.uploadFailed(q, 0, err)
	}
}

func (w *web) upload(q *req) error {
	fs, err := w.s.files()
	if err != nil {
		return err
	}
	code := q.r.PathValue("code")
	if err := w.s.canUpload(q.r, q.person, code); err != nil {
		return err
	}
	// Several files in one form: bounded by the dossier's cap.
	bounded := *fs
	bounded.MaxFile = fs.MaxDossierBytes()
	mr, err := w.s.multipartReader(q.w, q.r, &bounded)
	if err != nil {
		return err
	}
	part, err := mr.NextPart()
	if err != nil {
		return partError(err, fs)
	}
	token, err := readField(part)
	if err != nil || part.FormName() != "csrf" || !auth.CheckCSRF(q.session, token) {
		return errorf(engine.EFORBIDDEN, "Biểu mẫu đã hết hạn (sai mã CSRF); hãy tải lại trang.", "The form expired (CSRF token mismatch); reload the page.")
	}
	in := engine.AttachInput{Actor: q.person.ID}
	stored := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return w.uploadFailed(q, stored, partError(err, fs))
		}
		switch part.FormName() {
		case "target", "component":
			v, err := readField(part)
			if err != nil {
				return w.uploadFailed(q, stored, partError(err, fs))
			}
			if v = strings.TrimSpace(v); v == targetResult {
				in.Result, in.Component = true, ""
			} else if v != "" {
				in.Component = v
			}
		case "supersedes":
			v, err := readField(part)
			if err != nil {
				return w.uploadFailed(q, stored, partError(err, fs))
			}
			in.Supersedes = strings.TrimSpace(v)
		case "file":
			if part.FileName() == "" {
				continue // the browser's empty part when no file was chosen
			}
			in.Name = part.FileName()
			if _, _, err := fs.Attach(q.r.Context(), code, in, part); err != nil {
				return w.uploadFailed(q, stored, partError(err, fs))
			}
			stored++
			// Only the first file replaces the file named: the others
			// are further pages of the same component.
			in.Supersedes = ""
		default:
			return w.uploadFailed(q, stored, errorf(EBADREQUEST, "Trường %q không được nhận.", "Unknown field %q.", part.FormName()))
		}
	}
	if stored == 0 {
		return w.uploadFailed(q, 0, errorf(EBADREQUEST, "Chưa chọn tệp nào.", "No file chosen."))
	}
	done := fmt.Sprintf(tr("files_uploaded", q.lang), stored)
	http.Redirect(q.w, q.r, "/dossiers/"+url.PathEscape(code)+"?done="+url.QueryEscape(done)+"#files", http.StatusSeeOther)
	return nil
}

// uploadFailed shows err on the dossier page itself, with fresh data and
// how many files were stored before it; it returns nil once the page is
// written, else err for the error page.
func (w *web) uploadFailed(q *req, stored int, err error) error {
	code := q.r.PathValue("code")
	d, rerr := w.s.readable(q.r, q.person, code)
	if rerr != nil || engine.ErrorCode(err) == engine.EINTERNAL {
		if stored == 0 {
			w.fail(q, err)
			return nil
		}
		return err
	}
	// The rest of the body is not read: tell the browser the connection
	// ends here rather than have it wait to send the remaining files.
	q.w.Header().Set("Connection", "close")
	p, perr := w.dossierPage(q, d)
	if perr != nil {
		w.fail(q, err)
		return nil
	}
	ed := describe(err)
	msg := pick(ed.Message, ed.MessageEN, q.lang)
	if stored > 0 {
		msg = fmt.Sprintf(tr("files_partly", q.lang), stored, msg)
	}
	p.Error = msg
	if rerr := w.render(q, StatusFor(ed.Code), "dossier", p); rerr != nil {
		w.fail(q, err)
	}
	return nil
}
