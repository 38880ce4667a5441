package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
)

// The dossier's files over the API: upload (multipart, streamed to the
// file store, never held in memory) and download (streamed back, as an
// attachment that a browser never renders). Rights are the dossier's:
// whoever reads the dossier downloads its files; the desk uploads the
// components' scans, the unit acting in the current state the result
// (engine.CanAttach). Each upload and each download is a row of the
// dossier's history.

// fileFieldMax bounds each form field of an upload other than the file.
const fileFieldMax = 1 << 10

// transferTime is how long one upload or download may take. serve's
// server-wide timeouts (30 s to read a request, 60 s to write an
// answer) suit JSON, not a 20 MB scan from a commune's slow line
// (20 MB at 1 Mbit/s is almost three minutes), so the file routes
// extend their own deadlines.
const transferTime = 15 * time.Minute

// extendDeadlines gives a file transfer transferTime from now; a
// connection that cannot (an HTTP/2 test double) keeps its own.
func extendDeadlines(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	at := time.Now().Add(transferTime)
	_ = rc.SetReadDeadline(at)
	_ = rc.SetWriteDeadline(at)
}

// uploadSlack is what a multipart body may carry beyond the file itself
// (boundaries, headers, the small fields).
const uploadSlack = 1 << 20

func (s *Server) routesFiles() {
	s.handle("POST", "/dossiers/{code}/files", signedIn, s.apiUpload)
	s.handle("GET", "/dossiers/{code}/files/{id}", signedIn, s.apiDownload)
}

// files returns the file service, or the error of a server without one.
func (s *Server) files() (*engine.Files, error) {
	if s.cfg.Files == nil {
		return nil, errorf(engine.ENOTFOUND, "Máy chủ này không lưu tệp.", "This server keeps no files.")
	}
	return s.cfg.Files, nil
}

// uploadForm is what an upload's form says besides the file.
type uploadForm struct {
	in    engine.AttachInput
	reuse string
}

// field applies one small form field; unknown fields are refused, so a
// misspelt "component" is not silently a file without a target.
func (f *uploadForm) field(name, value string) error {
	value = strings.TrimSpace(value)
	switch name {
	case "component":
		f.in.Component = value
	case "result":
		f.in.Result = value == "true" || value == "1" || value == "on"
	case "supersedes":
		f.in.Supersedes = value
	case "reuse":
		f.reuse = value
	default:
		return errorf(EBADREQUEST, "Trường %q không được nhận.", "Unknown field %q.", name)
	}
	return nil
}

// readField reads a small form part whole.
func readField(p *multipart.Part) (string, error) {
	b, err := io.ReadAll(io.LimitReader(p, fileFieldMax+1))
	if err != nil {
		return "", err
	}
	if len(b) > fileFieldMax {
		return "", errorf(EBADREQUEST, "Trường %q quá dài.", "Field %q is too long.", p.FormName())
	}
	return string(b), nil
}

// multipartReader opens r's body as multipart/form-data, bounded to one
// file at the cap plus the form's slack.
func (s *Server) multipartReader(w http.ResponseWriter, r *http.Request, fs *engine.Files) (*multipart.Reader, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, errorf(EBADREQUEST, "Nội dung phải là multipart/form-data.", "The body must be multipart/form-data.")
	}
	extendDeadlines(w)
	r.Body = http.MaxBytesReader(w, r.Body, fs.MaxFileBytes()+uploadSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errorf(EBADREQUEST, "Nội dung multipart không hợp lệ.", "Malformed multipart body.")
	}
	return mr, nil
}

// partError turns an error of an upload into the API's: a body past the
// bound is a file over the cap, a broken body a bad request.
func partError(err error, fs *engine.Files) error {
	var size *http.MaxBytesError
	if errors.As(err, &size) {
		return &engine.FileTooLargeError{Limit: fs.MaxFileBytes()}
	}
	if engine.ErrorCode(err) != engine.EINTERNAL {
		return err
	}
	// A body cut short or badly framed is the client's; anything else
	// (the disk failing under the store) stays internal.
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "multipart") {
		return errorf(EBADREQUEST, "Nội dung multipart không hợp lệ.", "Malformed multipart body.")
	}
	return err
}

// canUpload checks the caller before any byte is read: a role that acts
// and a dossier they read.
func (s *Server) canUpload(r *http.Request, p *engine.Person, code string) error {
	if err := requireActor(p); err != nil {
		return err
	}
	if _, err := s.readable(r, p, code); err != nil {
		if engine.ErrorCode(err) == engine.EFORBIDDEN {
			return &engine.ForbiddenError{Person: p.ID, Reason: "the dossier is not with your units"}
		}
		return err
	}
	return nil
}

// apiUpload is POST /dossiers/{code}/files: multipart with the fields
// "component" (or "result=true"), optional "supersedes", then one part
// "file"; or "reuse=<file id>" and no file. The fields must come before
// the file, since the file is streamed to the store as it arrives.
func (s *Server) apiUpload(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	fs, err := s.files()
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	if err := s.canUpload(r, p, code); err != nil {
		return err
	}
	mr, err := s.multipartReader(w, r, fs)
	if err != nil {
		return err
	}
	form := uploadForm{in: engine.AttachInput{Actor: p.ID}}
	var ref engine.FileRef
	attached := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return partError(err, fs)
		}
		if part.FormName() != "file" {
			v, err := readField(part)
			if err != nil {
				return partError(err, fs)
			}
			if err := form.field(part.FormName(), v); err != nil {
				return err
			}
			continue
		}
		if attached || form.reuse != "" {
			return errorf(EBADREQUEST, "Mỗi lần gửi một tệp.", "One file per request.")
		}
		form.in.Name = part.FileName()
		_, ref, err = fs.Attach(r.Context(), code, form.in, part)
		if err != nil {
			return partError(err, fs)
		}
		attached = true
	}
	switch {
	case attached:
	case form.reuse != "":
		if _, ref, err = fs.Reuse(r.Context(), code, form.in, form.reuse); err != nil {
			return err
		}
	default:
		return errorf(EBADREQUEST, "Thiếu tệp (trường “file”) hoặc tệp dùng lại (“reuse”).", "No file (field “file”) and no file to reuse (“reuse”).")
	}
	w.Header().Set("Location", fileURL(code, ref.ID))
	writeJSON(w, http.StatusCreated, ref)
	return nil
}

// fileURL is where a file of a dossier is downloaded.
func fileURL(code, id string) string {
	return "/api/v1/dossiers/" + url.PathEscape(code) + "/files/" + url.PathEscape(id)
}

// apiDownload is GET /dossiers/{code}/files/{id}: the bytes, as an
// attachment, after the download is recorded.
func (s *Server) apiDownload(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	fs, err := s.files()
	if err != nil {
		return err
	}
	ref, rc, err := fs.Open(r.Context(), p, r.PathValue("code"), r.PathValue("id"))
	if err != nil {
		return err
	}
	defer rc.Close()
	extendDeadlines(w)
	h := w.Header()
	// Whatever the bytes hold, the browser saves them and never runs
	// them: a sniffed type only, no sniffing of its own, and a sandbox
	// should it render anyway.
	h.Set("Content-Type", ref.ContentType)
	h.Set("Content-Length", fmt.Sprint(ref.Size))
	h.Set("Content-Disposition", contentDisposition(ref))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	h.Set("ETag", `"`+ref.SHA256+`"`)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		io.Copy(w, rc)
	}
	return nil
}

// contentDisposition names the download: an ASCII fallback and the
// UTF-8 name (RFC 6266, RFC 8187), from the cleaned name or the id.
func contentDisposition(ref engine.FileRef) string {
	name := ref.Name
	if name == "" {
		name = ref.ID + engine.ExtensionFor(ref.ContentType)
	}
	ascii := make([]byte, 0, len(name))
	for _, c := range name {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '%' || c == ';' {
			c = '_'
		}
		ascii = append(ascii, byte(c))
	}
	return mime.FormatMediaType("attachment", map[string]string{"filename": string(ascii)}) +
		"; filename*=UTF-8''" + extValue(name)
}

// extValue percent-encodes name as an RFC 8187 value: every byte but
// the attr-chars.
func extValue(name string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
