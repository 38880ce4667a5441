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

// publishCatalog builds the catalog serve, sweep and report work with
// from the procedure files (loaded by procedures.LoadSources before the
// store is opened, so that a bad file is reported first) under the
// publishing policy of procedures.Publish: each version published the
// first time it is seen, none edited in place, the versions the files no
// longer hold kept from the store for the dossiers received on them.
//
// now stamps FirstSeen; lang ("en" or Vietnamese) is the language of the
// refusal and of the note on stderr naming the versions read from the
// store only.
func publishCatalog(ctx context.Context, st engine.Store, loaded []procedures.Loaded, now time.Time, lang string, stderr io.Writer) (*engine.Catalog, error) {
	ps, ok := st.(engine.ProcedureStore)
	if !ok {
		return nil, fmt.Errorf("store %T keeps no procedure versions", st)
	}
	pub, err := procedures.Publish(ctx, ps, loaded, now)
	var pe *procedures.PublishedEditError
	if errors.As(err, &pe) {
		return nil, &publishedEditError{lang: lang, err: pe}
	}
	if err != nil {
		return nil, err
	}
	if keys := pub.FromStore; len(keys) > 0 {
		if lang == "en" {
			fmt.Fprintf(stderr, "motcua: procedure versions read from the store only (not in --procedures; kept for dossiers received on them): %s\n", strings.Join(keys, ", "))
		} else {
			fmt.Fprintf(stderr, "motcua: các phiên bản thủ tục chỉ nạp từ kho dữ liệu (không có trong --procedures; giữ cho hồ sơ đã tiếp nhận theo chúng): %s\n", strings.Join(keys, ", "))
		}
	}
	return pub.Catalog, nil
}

// publishedEditError words procedures' refusal of edited published
// versions for the admin: each file and the version to write instead, in
// Vietnamese unless lang is "en" (MOTCUA_LANG). It exits 2 (ECONFLICT).
type publishedEditError struct {
	lang string
	err  *procedures.PublishedEditError
}

func (e *publishedEditError) Error() string { return e.Message(e.lang) }

// Message implements engine.Localized: procedures' words, which name
// the files.
func (e *publishedEditError) Message(lang string) string { return e.err.Message(lang) }

// ErrorCode implements the engine's application error code interface.
func (e *publishedEditError) ErrorCode() engine.Code { return engine.ECONFLICT }

// Unwrap returns procedures' refusal, through which errors.As finds each
// *engine.ProcedureChangedError.
func (e *publishedEditError) Unwrap() error { return e.err }

// lang is the language of the core's messages, MOTCUA_LANG ("en", else
// Vietnamese), as main prints errors in.
func (m *Main) lang() string {
	if m.Getenv == nil {
		return ""
	}
	return m.Getenv("MOTCUA_LANG")
}
