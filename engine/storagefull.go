package engine

// StorageFullError reports a write refused because the disk or the
// database is full (ESTORAGEFULL, HTTP 507): nothing was saved, and the
// operator must free space. Stores return it for SQLITE_FULL and ENOSPC,
// so that a full disk is told apart from a bug.
type StorageFullError struct {
	// Where names what is full in words safe to show ("database",
	// "files folder"); never a path.
	Where string
	// Err is the store's own error, for the logs.
	Err error
}

func (e *StorageFullError) Error() string {
	return "storage is full (" + e.Where + "): nothing was saved; free disk space"
}

// ErrorCode implements the application error code interface.
func (e *StorageFullError) ErrorCode() Code { return ESTORAGEFULL }

// Message implements Localized: what is full and that nothing was saved,
// never the store's own text (it may name a path).
func (e *StorageFullError) Message(lang string) string {
	where := e.Where
	if lang == "en" {
		return "Storage is full (" + where + "): nothing was saved; tell the administrator to free disk space."
	}
	switch where {
	case "database":
		where = "cơ sở dữ liệu"
	case "credentials":
		where = "tệp mật khẩu và khóa API"
	case "files folder":
		where = "thư mục tệp"
	}
	return "Bộ nhớ lưu trữ đã đầy (" + where + "): chưa có gì được lưu; hãy báo quản trị viên giải phóng dung lượng đĩa."
}

// Unwrap returns the store's error.
func (e *StorageFullError) Unwrap() error { return e.Err }
