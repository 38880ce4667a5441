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

// Unwrap returns the store's error.
func (e *StorageFullError) Unwrap() error { return e.Err }
