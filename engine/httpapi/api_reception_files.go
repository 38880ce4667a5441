package httpapi

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/motcua/motcua/engine"
)

// POST /dossiers as multipart/form-data: the reception with the scans
// the desk made of the components (issue 10). The first part, "dossier",
// is the JSON body of a plain reception; each later part "file.<component
// id>" is one scan, several per component allowed. The order and what a
// failure leaves behind are engine.Files'
// (engine/reception_files.go): the reception is checked before any
// file is read, every file is checked and stored before the reception
// takes its number, and the files are attached once it has one.

// filePartPrefix starts the name of a file part of a reception.
const filePartPrefix = "file."

// isMultipart reports whether r's body is multipart/form-data.
func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

// apiReceiveFiles is POST /dossiers with files.
func (s *Server) apiReceiveFiles(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	fs, err := s.files()
	if err != nil {
		return err
	}
	if err := requireActor(p); err != nil {
		return err
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	maxDossier := fs.MaxDossierBytes()
	extendDeadlines(w)
	r.Body = http.MaxBytesReader(w, r.Body, maxDossier+s.maxBody+uploadSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return errorf(EBADREQUEST, "Nội dung multipart không hợp lệ.", "Malformed multipart body.")
	}
	part, err := mr.NextPart()
	if err != nil {
		return receptionPartError(err, maxDossier)
	}
	// The part says it is JSON, as openapi.json's encoding declares: a
	// part without a type is text by RFC 7578.
	if mt, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); part.FormName() != "dossier" || mt != "application/json" {
		return errorf(EBADREQUEST, "Phần đầu tiên phải là “dossier” (JSON của hồ sơ, Content-Type: application/json).",
			"The first part must be “dossier” (the dossier's JSON, Content-Type: application/json).")
	}
	var req receiveRequest
	jr := &http.Request{Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(part)}
	if err := decodeJSON(w, jr, s.maxBody, &req); err != nil {
		return err
	}
	d, err := s.receiveWithFiles(r, p, req, key, func(proc *engine.Procedure) ([]engine.ReceptionFile, error) {
		return s.spoolReception(r, mr, fs, proc, maxDossier)
	})
	if err != nil {
		return err
	}
	return s.answerReception(w, r, p, req, key, d)
}

// receiveWithFiles receives req with the files spool checks and stores,
// in the order of engine/reception_files.go; the page and the API share
// it. The procedure given to spool is the one the reception is under.
//
// A retry (its Idempotency-Key already received a dossier) is answered
// first, as the engine answers one: the first reception stands whatever
// changed since, so it is not checked again; a body that is not the first
// one's is refused before any file is read; and the files the first
// attempt did not attach are attached now.
func (s *Server) receiveWithFiles(r *http.Request, p *engine.Person, req receiveRequest, key string, spool func(*engine.Procedure) ([]engine.ReceptionFile, error)) (*engine.Dossier, error) {
	fs, err := s.files()
	if err != nil {
		return nil, err
	}
	if err := checkReceiver(p, req); err != nil {
		return nil, err
	}
	in := s.receiveInput(r, p, req, key)
	d, err := s.eng.ReceptionReplay(r.Context(), in)
	switch {
	case err == nil:
		if err := s.checkReplay(key, req, d); err != nil {
			return nil, err
		}
	case engine.ErrorCode(err) == engine.ENOTFOUND:
		// The checklist and the form first: a refused reception reads
		// no file, stores nothing and takes no number.
		if err := s.eng.CheckReceive(req.Procedure, req.Version, in); err != nil {
			return nil, withGuidance(err, req.Procedure)
		}
	default:
		return nil, receptionError(err, req.Procedure)
	}
	procedure, version := req.Procedure, req.Version
	if d != nil {
		procedure, version = d.Procedure, d.ProcedureVersion
	}
	proc, err := s.eng.Catalog.Get(procedure, version)
	if err != nil {
		return nil, err
	}
	files, err := spool(proc)
	if err != nil {
		return nil, err
	}
	if d == nil {
		if d, err = s.receiveIn(r, req, in); err != nil {
			return nil, err
		}
		// A reception that lost a race on its key got the winner's
		// dossier: the same rule as a retry, before anything attaches.
		if err := s.checkReplay(key, req, d); err != nil {
			return nil, err
		}
	}
	if len(files) == 0 {
		return d, nil
	}
	// The reception stands whatever happens here; a retry with the
	// same Idempotency-Key attaches what is missing.
	return fs.AttachReceived(r.Context(), d.Code, p.ID, files)
}

// spoolReception checks and stores every file part of mr; any refusal
// refuses the reception (the stored bytes, with no row, are the orphan
// sweep's).
func (s *Server) spoolReception(r *http.Request, mr *multipart.Reader, fs *engine.Files, proc *engine.Procedure, maxDossier int64) ([]engine.ReceptionFile, error) {
	var files []engine.ReceptionFile
	var spooled int64
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return nil, receptionPartError(err, maxDossier)
		}
		component, ok := strings.CutPrefix(part.FormName(), filePartPrefix)
		if !ok || component == "" {
			return nil, errorf(EBADREQUEST, "Phần %q không được nhận: tệp phải tên “file.<mã thành phần>”.",
				"Unknown part %q: a file part is named “file.<component id>”.", part.FormName())
		}
		f, err := fs.Spool(r.Context(), proc, component, part.FileName(), part, spooled)
		if err != nil {
			return nil, receptionPartError(err, maxDossier)
		}
		spooled += f.Stored.Size
		files = append(files, f)
	}
}

// receptionPartError is partError for a reception, whose body is bounded
// by the dossier's cap.
func receptionPartError(err error, maxDossier int64) error {
	var size *http.MaxBytesError
	if errors.As(err, &size) {
		return &engine.FileTooLargeError{Limit: maxDossier, PerDossier: true}
	}
	return partError(err, &engine.Files{})
}
