package engine

import "slices"

// codeRow is what the world outside the core makes of one code.
type codeRow struct {
	http int // HTTP status of an API answer or a page
	exit int // exit status of the command line: 2 bad input, 1 failure
	// vi and en are the code's generic words, for errors that carry
	// none of their own (an internal error's text is never shown).
	vi, en string
}

// codeTable is the one table from application error codes to HTTP
// statuses, exit statuses and generic words. httpapi, the reports'
// handler and cmd read it through Code's methods; nothing else chooses a
// status. The statuses are plain numbers so that the core does not import
// net/http for its constants.
//
// The exit statuses keep the command line's rule: a problem with what the
// person typed (bad input, a reference to nothing, an act they may not
// do, a stale or finished dossier) is 2, like a usage error; anything the
// person cannot fix by retyping is 1.
var codeTable = map[Code]codeRow{
	EINVALID:      {422, 2, "Dữ liệu không hợp lệ", "Invalid input"},
	ENOTFOUND:     {404, 2, "Không tìm thấy", "Not found"},
	ECONFLICT:     {409, 2, "Xung đột dữ liệu; hãy tải lại", "Conflicting change; reload"},
	EFORBIDDEN:    {403, 2, "Bạn không có quyền", "You may not do this"},
	EUNAUTHORIZED: {401, 1, "Cần đăng nhập", "Sign-in required"},
	ESTORAGEFULL:  {507, 1, "Bộ nhớ lưu trữ đã đầy; hãy báo quản trị viên", "Storage is full; tell the administrator"},
	EINTERNAL:     {500, 1, "Lỗi hệ thống, vui lòng thử lại sau", "Internal error, please try again later"},
	EBADREQUEST:   {400, 2, "Yêu cầu không hợp lệ", "Bad request"},
	ETOOLARGE:     {413, 2, "Nội dung quá lớn", "Body too large"},
	EMETHOD:       {405, 2, "Phương thức không được hỗ trợ", "Method not allowed"},
	EUNSUPPORTED:  {415, 2, "Loại tệp không được chấp nhận", "File type not accepted"},
	ELIMITED:      {429, 1, "Quá nhiều yêu cầu; vui lòng thử lại sau", "Too many requests; please try again later"},
}

// row returns c's row; a code the table does not know is internal, so an
// unexpected code can never become a friendlier status than 500.
func (c Code) row() codeRow {
	if r, ok := codeTable[c]; ok {
		return r
	}
	return codeTable[EINTERNAL]
}

// HTTPStatus returns the HTTP status of an error with code c.
func (c Code) HTTPStatus() int { return c.row().http }

// ExitCode returns the command line's exit status for an error with code c.
func (c Code) ExitCode() int { return c.row().exit }

// Message returns c's generic words in lang ("en" for English, anything
// else Vietnamese), without a final period: what a person reads when the
// error itself has no words, or must not show its own (internal errors).
func (c Code) Message(lang string) string {
	if lang == "en" {
		return c.row().en
	}
	return c.row().vi
}

// Codes returns every code the table knows, for tests and documentation
// that must cover them all.
func Codes() []Code {
	out := make([]Code, 0, len(codeTable))
	for c := range codeTable {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}
