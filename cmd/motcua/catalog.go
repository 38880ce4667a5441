package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/procedures"
)

// publishCatalog builds the catalog serve, sweep and report work with: the
// procedure files (loaded by procedures.LoadSources, before the store is
// opened, so that a bad file is reported first), each registered in the store as published the first
// time it is seen, plus every version the store has published that the
// files no longer hold. A dossier keeps the version it was received on
// (issue 4) however the files move on, and a published version can never
// be edited in place under it: that is refused here, before anything
// runs. New dossiers get the latest version of the files; versions kept
// from the store only serve dossiers already received on them.
//
// now stamps FirstSeen; lang ("en" or Vietnamese) is the language of the
// refusal and of the note on stderr naming the versions read from the
// store only.
func publishCatalog(ctx context.Context, st engine.Store, loaded []procedures.Loaded, now time.Time, lang string, stderr io.Writer) (*engine.Catalog, error) {
	ps, ok := st.(engine.ProcedureStore)
	if !ok {
		return nil, fmt.Errorf("store %T keeps no procedure versions", st)
	}
	stored, err := ps.ProcedureVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("published procedure versions: %w", err)
	}
	byKey := make(map[string]engine.ProcedureVersion, len(stored))
	for _, v := range stored {
		byKey[v.Key()] = v
	}

	// Check every file against what is published before registering any,
	// so that a refused start-up publishes nothing and the admin sees
	// every edited file at once.
	edits := &publishedEditError{lang: lang, next: nextVersions(stored, loaded)}
	for _, l := range loaded {
		if v, ok := byKey[l.Procedure.Key()]; ok && v.SHA256 != l.SHA256 {
			edits.add(l.Procedure.Source, &engine.ProcedureChangedError{Code: v.Code, Version: v.Version, Stored: v.SHA256, Given: l.SHA256})
		}
	}
	if len(edits.list) > 0 {
		return nil, edits
	}
	files := make([]*engine.Procedure, 0, len(loaded))
	inFiles := make(map[string]bool, len(loaded))
	for _, l := range loaded {
		p := l.Procedure
		files = append(files, p)
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
	if len(edits.list) > 0 {
		return nil, edits
	}
	cat, err := engine.NewCatalog(files...)
	if err != nil {
		return nil, usagef("--procedures: %v", err)
	}

	var kept []*engine.Procedure
	var keys []string
	for _, v := range stored {
		if inFiles[v.Key()] {
			continue
		}
		// The stored bytes are compiled as they were published; a version
		// that no longer compiles (a stricter motcua) is refused rather
		// than dropped, since dropping it would strand its dossiers.
		p, err := procedures.Parse(storedSource(v), v.Source)
		if err != nil {
			return nil, fmt.Errorf("published procedure %s no longer compiles: %w", v.Key(), err)
		}
		kept = append(kept, p)
		keys = append(keys, v.Key())
	}
	if err := cat.Keep(kept...); err != nil {
		return nil, err
	}
	if len(keys) > 0 {
		if lang == "en" {
			fmt.Fprintf(stderr, "motcua: procedure versions read from the store only (not in --procedures; kept for dossiers received on them): %s\n", strings.Join(keys, ", "))
		} else {
			fmt.Fprintf(stderr, "motcua: các phiên bản thủ tục chỉ nạp từ kho dữ liệu (không có trong --procedures; giữ cho hồ sơ đã tiếp nhận theo chúng): %s\n", strings.Join(keys, ", "))
		}
	}
	return cat, nil
}

// storedSource is the Source of a procedure compiled from the store, as
// problems and messages name it.
func storedSource(v engine.ProcedureVersion) string {
	return "store:" + v.Key()
}

// nextVersions returns, per code, the first version number neither
// published nor in the files: what an admin should write instead.
func nextVersions(stored []engine.ProcedureVersion, loaded []procedures.Loaded) map[string]int {
	next := map[string]int{}
	bump := func(code string, v int) {
		if v+1 > next[code] {
			next[code] = v + 1
		}
	}
	for _, v := range stored {
		bump(v.Code, v.Version)
	}
	for _, l := range loaded {
		bump(l.Procedure.Code, l.Procedure.Version)
	}
	return next
}

// editedFile is one procedure file that changes a published version.
type editedFile struct {
	file string
	err  *engine.ProcedureChangedError
}

// publishedEditError refuses start-up when files edit published versions
// in place. It names each file and the version to write instead, in
// Vietnamese unless lang is "en" (MOTCUA_LANG), and exits 2 (ECONFLICT).
type publishedEditError struct {
	lang string
	next map[string]int
	list []editedFile
}

func (e *publishedEditError) add(file string, err *engine.ProcedureChangedError) {
	e.list = append(e.list, editedFile{file, err})
}

func (e *publishedEditError) Error() string {
	lines := make([]string, len(e.list))
	for i, f := range e.list {
		c := f.err
		if e.lang == "en" {
			lines[i] = fmt.Sprintf("%s: procedure %s version %d is already published with other content (published sha256 %.12s…, file %.12s…); "+
				"dossiers in progress follow the published rules, so a published version cannot be edited in place: "+
				"restore the published content, or raise \"version:\" (to %d) to publish the change as a new version",
				f.file, c.Code, c.Version, c.Stored, c.Given, e.next[c.Code])
		} else {
			lines[i] = fmt.Sprintf("%s: thủ tục %s phiên bản %d đã được công bố với nội dung khác (sha256 đã công bố %.12s…, của tệp %.12s…); "+
				"hồ sơ đang giải quyết theo quy định đã công bố nên không được sửa trực tiếp một phiên bản đã công bố: "+
				"hãy khôi phục nội dung đã công bố, hoặc tăng \"version:\" (lên %d) để công bố thay đổi thành phiên bản mới",
				f.file, c.Code, c.Version, c.Stored, c.Given, e.next[c.Code])
		}
	}
	return strings.Join(lines, "\n")
}

// ErrorCode implements the engine's application error code interface.
func (e *publishedEditError) ErrorCode() engine.Code { return engine.ECONFLICT }

func (e *publishedEditError) localized() {}

// Unwrap returns the store's errors, so that errors.As finds a
// *engine.ProcedureChangedError.
func (e *publishedEditError) Unwrap() []error {
	out := make([]error, len(e.list))
	for i, f := range e.list {
		out[i] = f.err
	}
	return out
}

// lang is the language of the core's messages, MOTCUA_LANG ("en", else
// Vietnamese), as main prints errors in.
func (m *Main) lang() string {
	if m.Getenv == nil {
		return ""
	}
	return m.Getenv("MOTCUA_LANG")
}
