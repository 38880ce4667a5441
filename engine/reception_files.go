package engine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
)

// Files handed in at reception (issue 10): the desk scans the components
// as it receives them (Decree 61/2018 Art 17.1). The order keeps the
// day's series and the record whole:
//
//  1. the reception is checked (CheckReceive: the checklist, the
//     applicant, the rights) before any byte is read, so a refused
//     reception stores nothing and takes no number;
//  2. every file is checked and spooled into the file store (Spool:
//     type, name and caps, as Attach checks them), so a refused file
//     refuses the whole reception before it takes a number; bytes with no
//     row are orphans that the file store's Sweep collects;
//  3. the dossier is received, then the files attached (AttachReceived).
//
// After the reception committed, attaching can fail only on the store
// (the rights and the caps were checked before): the reception stands
// and the error is returned; the same request retried with the same
// Idempotency-Key replays the reception and attaches what is missing,
// since AttachReceived skips a file the dossier already holds.

// ReceptionFile is a scan spooled at reception, waiting for its dossier.
type ReceptionFile struct {
	// Component is the component the file is a scan of.
	Component string
	// Name is the uploaded file's name (metadata only).
	Name string
	// Stored is what the file store and the checks made of it.
	Stored StoredFile
}

// CheckReceive runs the checks of a reception (CheckReception) without
// taking a number or storing anything.
func (e *Engine) CheckReceive(procedure string, version int, in ReceiveInput) error {
	p, err := e.Catalog.Get(procedure, version)
	if err != nil {
		return err
	}
	env := Env{Procedure: p, Directory: e.Directory, Calendar: e.Calendar, BackdateDays: e.BackdateDays, ApplicantChannels: e.ApplicantChannels, PortalSync: e.PortalSync}
	return CheckReception(env, in, e.Now.Time())
}

// Spool checks one file handed in at reception for component of
// procedure p and streams it into the file store. spooled is what the
// reception's earlier files weigh: together they keep to the dossier's
// cap, as uploads after the reception do.
func (fs *Files) Spool(ctx context.Context, p *Procedure, component, name string, body io.Reader, spooled int64) (ReceptionFile, error) {
	if err := checkComponent(p, component); err != nil {
		return ReceptionFile{}, err
	}
	limit, perDossier, err := fs.room(spooled)
	if err != nil {
		return ReceptionFile{}, err
	}
	f, err := fs.put(ctx, name, body, limit, perDossier)
	if err != nil {
		return ReceptionFile{}, err
	}
	return ReceptionFile{Component: component, Name: CleanFileName(name), Stored: f}, nil
}

// put sniffs body, checks its name against its type and streams it
// through the hash, the cap and the signature scan into the store.
func (fs *Files) put(ctx context.Context, name string, body io.Reader, limit int64, perDossier bool) (StoredFile, error) {
	br := newSniffReader(body)
	head, _ := br.Peek(SniffLen)
	ct := SniffContentType(head)
	name = CleanFileName(name)
	if ct == "" {
		return StoredFile{}, &FileTypeError{Name: name}
	}
	if err := CheckFileName(name, ct); err != nil {
		return StoredFile{}, err
	}
	var scan SignatureScanner
	var src io.Reader = br
	if ct == TypePDF {
		src = io.TeeReader(br, &scan)
	}
	sha, size, err := fs.Store.Put(ctx, src, limit)
	var tooLarge *FileTooLargeError
	if errors.As(err, &tooLarge) {
		if perDossier {
			return StoredFile{}, &FileTooLargeError{Limit: fs.MaxDossierBytes(), PerDossier: true}
		}
		return StoredFile{}, &FileTooLargeError{Limit: fs.MaxFileBytes()}
	}
	if err != nil {
		return StoredFile{}, fmt.Errorf("store file: %w", err)
	}
	return StoredFile{SHA256: sha, Size: size, ContentType: ct, Signed: scan.Signed()}, nil
}

// AttachReceived attaches the files spooled at reception to dossier
// code, as actor's, in order. A file the dossier already holds (the same
// component and bytes, not reused) is skipped, so a retried reception
// attaches only what the first attempt missed.
func (fs *Files) AttachReceived(ctx context.Context, code, actor string, files []ReceptionFile) (*Dossier, error) {
	d, err := fs.Engine.Get(ctx, code)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if holdsFile(d, f) {
			continue
		}
		in := AttachInput{Actor: actor, Component: f.Component, Name: f.Name}
		if d, _, err = fs.record(ctx, d, in, f.Stored, "", false); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func holdsFile(d *Dossier, f ReceptionFile) bool {
	for _, have := range d.Files {
		if !have.Result && have.ReusedFrom == "" && have.Component == f.Component && have.SHA256 == f.Stored.SHA256 {
			return true
		}
	}
	return false
}

// newSniffReader buffers just enough of body to sniff its type.
func newSniffReader(body io.Reader) *bufio.Reader { return bufio.NewReaderSize(body, 4096) }
