package httpapi

import (
	"errors"
	"mime/multipart"
	"net/http"

	"github.com/motcua/motcua/engine"
)

// The reception page takes the components' scans (issue 10): a file
// input per component of the checklist, several files each, posted as
// multipart with the form. A browser sends the parts in the form's
// order, which mixes files with fields, so the body is parsed to
// temporary files first (memory bounded by receptionFormMemory), the
// session checked before a byte of it is read; then the reception
// follows the order of engine/reception_files.go, as the API does.

// receptionFormMemory is what a reception form may hold in memory; the
// files beyond it go to temporary files, removed when the request ends.
const receptionFormMemory = 1 << 20

// receivePost is POST /receive: the page's form, multipart when it
// carries files.
func (w *web) receivePost(rw http.ResponseWriter, r *http.Request) {
	if !isMultipart(r) {
		w.page(true, w.receive)(rw, r)
		return
	}
	q := &req{w: rw, r: r, lang: lang(r)}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		w.page(true, w.receive)(rw, r) // answers the missing session
		return
	}
	if _, p, err := w.s.auth.Session(r.Context(), c.Value); err != nil || p == nil {
		w.page(true, w.receive)(rw, r)
		return
	}
	limit := w.s.maxBody + uploadSlack
	if fs, err := w.s.files(); err == nil {
		limit += fs.MaxDossierBytes()
	}
	extendDeadlines(rw)
	r.Body = http.MaxBytesReader(rw, r.Body, limit)
	if err := r.ParseMultipartForm(receptionFormMemory); err != nil {
		var size *http.MaxBytesError
		if errors.As(err, &size) {
			if fs, ferr := w.s.files(); ferr == nil {
				w.fail(q, &engine.FileTooLargeError{Limit: fs.MaxDossierBytes(), PerDossier: true})
				return
			}
		}
		w.fail(q, errorf(EBADREQUEST, "Nội dung multipart không hợp lệ.", "Malformed multipart body."))
		return
	}
	defer r.MultipartForm.RemoveAll()
	// The page's own checks (session, CSRF) read the parsed form.
	w.page(true, w.receive)(rw, r)
}

// formFile is a file the reception form carries for a component.
type formFile struct {
	component string
	header    *multipart.FileHeader
}

// formFiles are the files of r's reception form for procedure code, in
// the procedure's order of components and, within one, as chosen.
func (w *web) formFiles(r *http.Request, code string) []formFile {
	if r.MultipartForm == nil {
		return nil
	}
	p, err := w.s.eng.Catalog.Get(code, 0)
	if err != nil {
		return nil
	}
	var out []formFile
	for _, c := range p.Components {
		for _, fh := range r.MultipartForm.File[inputName("file", p.Code, c.ID)] {
			if fh.Filename != "" || fh.Size > 0 {
				out = append(out, formFile{component: c.ID, header: fh})
			}
		}
	}
	return out
}

// receiveWithFiles receives in from the page with files: spooled to the file
// store once the reception is checked, attached once it is received.
func (w *web) receiveWithFiles(q *req, in receiveRequest, key string, files []formFile) (*engine.Dossier, error) {
	fs, err := w.s.files()
	if err != nil {
		return nil, err
	}
	return w.s.receiveWithFiles(q.r, q.person, in, key, func(proc *engine.Procedure) ([]engine.ReceptionFile, error) {
		var out []engine.ReceptionFile
		var spooled int64
		for _, f := range files {
			rf, err := spoolFormFile(q, fs, proc, f, spooled)
			if err != nil {
				return nil, err
			}
			spooled += rf.Stored.Size
			out = append(out, rf)
		}
		return out, nil
	})
}

func spoolFormFile(q *req, fs *engine.Files, proc *engine.Procedure, f formFile, spooled int64) (engine.ReceptionFile, error) {
	body, err := f.header.Open()
	if err != nil {
		return engine.ReceptionFile{}, err
	}
	defer body.Close()
	return fs.Spool(q.r.Context(), proc, f.component, f.header.Filename, body, spooled)
}

// fileRefusal reports whether err refuses a file of the form: shown on
// the form, like a wrong field.
func fileRefusal(err error) bool {
	var typ *engine.FileTypeError
	var size *engine.FileTooLargeError
	return errors.As(err, &typ) || errors.As(err, &size)
}
