package procedures

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
)

// Published is the catalog Publish builds and what it read from the
// store only.
type Published struct {
	// Catalog offers the files' latest versions to new dossiers and
	// every published version to the dossiers received on it.
	Catalog *engine.Catalog
	// FromStore names ("code@version") the published versions that the
	// files no longer hold, kept for the dossiers received on them; the
	// commands tell the admin about them at start-up.
	FromStore []string
}

// Publish is the procedure-version publishing policy (issues 3 and 4):
// it turns the procedure files into the catalog serve, sweep and report
// work with.
//
//   - Each (code, version) of the files is published in ps the first time
//     it is seen, stamped FirstSeen now, with its exact bytes.
//   - A published version can never be edited in place, since the
//     dossiers received on it follow its rules: a file whose bytes differ
//     from what is published under its (code, version) refuses the whole
//     start with a *PublishedEditError naming every such file. The files
//     are all checked against the store before anything is published, so
//     a refused start publishes nothing and the admin sees every edited
//     file at once; a version another process publishes in between is
//     caught by the store's unique key and refused the same way.
//   - Every version the store has published that the files no longer
//     hold is compiled from its stored bytes and kept in the catalog for
//     the dossiers received on it, never offered to new ones. A kept
//     version that no longer compiles (a stricter motcua) is an error,
//     not dropped, since dropping it would strand its dossiers.
//
// Publish reads and writes nothing but ps: the files are loaded before
// (LoadSources), so that a broken file is reported before a store opens.
func Publish(ctx context.Context, ps engine.ProcedureStore, files []Loaded, now time.Time) (*Published, error) {
	// LoadSources refuses a (code, version) defined twice; files gathered
	// otherwise are refused the same way, before the store is touched.
	first := make(map[string]string, len(files))
	for _, l := range files {
		p := l.Procedure
		if f, dup := first[p.Key()]; dup {
			return nil, &Problems{List: []Problem{{Path: p.Source, Line: 1, Col: 1,
				Msg: fmt.Sprintf("procedure %s version %d is also defined in %s; raise version for a new revision", p.Code, p.Version, f)}}}
		}
		first[p.Key()] = p.Source
	}
	stored, err := ps.ProcedureVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("published procedure versions: %w", err)
	}
	byKey := make(map[string]engine.ProcedureVersion, len(stored))
	for _, v := range stored {
		byKey[v.Key()] = v
	}

	edits := &PublishedEditError{Next: nextVersions(stored, files)}
	for _, l := range files {
		if v, ok := byKey[l.Procedure.Key()]; ok && v.SHA256 != l.SHA256 {
			edits.add(l.Procedure.Source, &engine.ProcedureChangedError{Code: v.Code, Version: v.Version, Stored: v.SHA256, Given: l.SHA256})
		}
	}
	if len(edits.Edits) > 0 {
		return nil, edits
	}
	procs := make([]*engine.Procedure, 0, len(files))
	inFiles := make(map[string]bool, len(files))
	for _, l := range files {
		p := l.Procedure
		procs = append(procs, p)
		inFiles[p.Key()] = true
		if _, ok := byKey[p.Key()]; ok {
			continue
		}
		err := ps.PutProcedureVersion(ctx, engine.ProcedureVersion{Code: p.Code, Version: p.Version,
			Source: l.Source, SHA256: l.SHA256, FirstSeen: now})
		// Another process may have published other bytes since the read
		// above: the store's unique key decides, and says so.
		var ce *engine.ProcedureChangedError
		if errors.As(err, &ce) {
			edits.add(p.Source, ce)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("publish procedure %s: %w", p.Key(), err)
		}
	}
	if len(edits.Edits) > 0 {
		return nil, edits
	}
	cat, err := engine.NewCatalog(procs...)
	if err != nil {
		return nil, err
	}

	out := &Published{Catalog: cat}
	var kept []*engine.Procedure
	for _, v := range stored {
		if inFiles[v.Key()] {
			continue
		}
		p, err := Parse(StoredSource(v), v.Source)
		if err != nil {
			return nil, fmt.Errorf("published procedure %s no longer compiles: %w", v.Key(), err)
		}
		kept = append(kept, p)
		out.FromStore = append(out.FromStore, v.Key())
	}
	if err := cat.Keep(kept...); err != nil {
		return nil, err
	}
	return out, nil
}

// StoredSource is the Source of a procedure compiled from the store, as
// problems and messages name it: "store:code@version".
func StoredSource(v engine.ProcedureVersion) string {
	return "store:" + v.Key()
}

// nextVersions returns, per code, the first version number neither
// published nor in the files: what an admin should write instead.
func nextVersions(stored []engine.ProcedureVersion, files []Loaded) map[string]int {
	next := map[string]int{}
	bump := func(code string, v int) {
		if v+1 > next[code] {
			next[code] = v + 1
		}
	}
	for _, v := range stored {
		bump(v.Code, v.Version)
	}
	for _, l := range files {
		bump(l.Procedure.Code, l.Procedure.Version)
	}
	return next
}

// PublishedEdit is one procedure file that changes a published version.
type PublishedEdit struct {
	// File is the procedure file's path.
	File string
	// Changed names the version and both hashes.
	Changed *engine.ProcedureChangedError
}

// PublishedEditError refuses a start whose files edit published versions
// in place (ECONFLICT; the commands exit 2). It holds what a message to
// the admin needs: each file, the version it edits and, per code, the
// version to write instead. Its Error is English for the logs; the
// commands word it for people in their language.
type PublishedEditError struct {
	Edits []PublishedEdit
	// Next is, per code, the first version number neither published nor
	// in the files.
	Next map[string]int
}

func (e *PublishedEditError) add(file string, err *engine.ProcedureChangedError) {
	e.Edits = append(e.Edits, PublishedEdit{File: file, Changed: err})
}

// Error names every edited file, one per line.
func (e *PublishedEditError) Error() string {
	lines := make([]string, len(e.Edits))
	for i, f := range e.Edits {
		lines[i] = fmt.Sprintf("%s: %v; raise version to %d", f.File, f.Changed, e.Next[f.Changed.Code])
	}
	return strings.Join(lines, "\n")
}

// Message implements engine.Localized: each file and the version to write
// instead, in Vietnamese unless lang is "en".
func (e *PublishedEditError) Message(lang string) string {
	lines := make([]string, len(e.Edits))
	for i, f := range e.Edits {
		c := f.Changed
		if lang == "en" {
			lines[i] = fmt.Sprintf("%s: procedure %s version %d is already published with other content (published sha256 %.12s…, file %.12s…); "+
				"dossiers in progress follow the published rules, so a published version cannot be edited in place: "+
				"restore the published content, or raise \"version:\" (to %d) to publish the change as a new version",
				f.File, c.Code, c.Version, c.Stored, c.Given, e.Next[c.Code])
		} else {
			lines[i] = fmt.Sprintf("%s: thủ tục %s phiên bản %d đã được công bố với nội dung khác (sha256 đã công bố %.12s…, của tệp %.12s…); "+
				"hồ sơ đang giải quyết theo quy định đã công bố nên không được sửa trực tiếp một phiên bản đã công bố: "+
				"hãy khôi phục nội dung đã công bố, hoặc tăng \"version:\" (lên %d) để công bố thay đổi thành phiên bản mới",
				f.File, c.Code, c.Version, c.Stored, c.Given, e.Next[c.Code])
		}
	}
	return strings.Join(lines, "\n")
}

// ErrorCode implements the engine's application error code interface: a
// published version edited in place conflicts with what is published.
func (e *PublishedEditError) ErrorCode() engine.Code { return engine.ECONFLICT }

// Unwrap returns the store's errors, so that errors.As finds a
// *engine.ProcedureChangedError.
func (e *PublishedEditError) Unwrap() []error {
	out := make([]error, len(e.Edits))
	for i, f := range e.Edits {
		out[i] = f.Changed
	}
	return out
}
