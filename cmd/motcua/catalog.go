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

func (e *publishedEditError) Error() string {
	lines := make([]string, len(e.err.Edits))
	for i, f := range e.err.Edits {
		c := f.Changed
		if e.lang == "en" {
			lines[i] = fmt.Sprintf("%s: procedure %s version %d is already published with other content (published sha256 %.12s…, file %.12s…); "+
				"dossiers in progress follow the published rules, so a published version cannot be edited in place: "+
				"restore the published content, or raise \"version:\" (to %d) to publish the change as a new version",
				f.File, c.Code, c.Version, c.Stored, c.Given, e.err.Next[c.Code])
		} else {
			lines[i] = fmt.Sprintf("%s: thủ tục %s phiên bản %d đã được công bố với nội dung khác (sha256 đã công bố %.12s…, của tệp %.12s…); "+
				"hồ sơ đang giải quyết theo quy định đã công bố nên không được sửa trực tiếp một phiên bản đã công bố: "+
				"hãy khôi phục nội dung đã công bố, hoặc tăng \"version:\" (lên %d) để công bố thay đổi thành phiên bản mới",
				f.File, c.Code, c.Version, c.Stored, c.Given, e.err.Next[c.Code])
		}
	}
	return strings.Join(lines, "\n")
}

// ErrorCode implements the engine's application error code interface.
func (e *publishedEditError) ErrorCode() engine.Code { return engine.ECONFLICT }

func (e *publishedEditError) localized() {}

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
