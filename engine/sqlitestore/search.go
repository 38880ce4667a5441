package sqlitestore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"

	"modernc.org/sqlite"

	"github.com/motcua/motcua/engine"
)

// The search keys (engine.SearchKeys) live in their own table,
// dossier_search (schema 6), one row per key and dossier, its primary key
// (key, code) the index a search reads: a prefix is one range of it. A
// column of dossiers could be prefix-searched only from its start; a row
// per key lets "binh" find "Trần Thị Bình" by the key "binh", and the
// code, ID number and phone by theirs, all in one range scan.
//
// The keys are folded in Go (SQLite's lower() knows only ASCII, and no
// SQLite function drops Vietnamese diacritics), so schema 6 fills the
// table for the stored dossiers through searchKeysFunc, registered with
// the driver for that.

// searchKeysFunc is the SQL function motcua_search_keys(doc): the search
// keys of a stored document, as a JSON array for json_each.
const searchKeysFunc = "motcua_search_keys"

func init() {
	err := sqlite.RegisterDeterministicScalarFunction(searchKeysFunc, 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			var raw []byte
			switch v := args[0].(type) {
			case []byte:
				raw = v
			case string:
				raw = []byte(v)
			default:
				return nil, fmt.Errorf("%s: want a document, got %T", searchKeysFunc, v)
			}
			keys, err := docSearchKeys(raw)
			if err != nil {
				return nil, err
			}
			b, err := json.Marshal(keys)
			return string(b), err
		})
	if err != nil {
		panic(err)
	}
}

// searchedDoc is the part of a stored document the keys come from.
type searchedDoc struct {
	Code      string       `json:"code"`
	Applicant applicantDoc `json:"applicant"`
}

func (d searchedDoc) keys() []string {
	a := d.Applicant
	return engine.SearchKeys(&engine.Dossier{Code: d.Code, Applicant: engine.Applicant{Name: a.Name, IDNo: a.IDNo, Phone: a.Phone}})
}

// docSearchKeys reads the search keys of a stored document.
func docSearchKeys(raw []byte) ([]string, error) {
	var d searchedDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("dossier document: %w", err)
	}
	return d.keys(), nil
}

const (
	sqlInsertKey = "INSERT OR IGNORE INTO dossier_search (key, code) VALUES (?, ?)"
	sqlDeleteKey = "DELETE FROM dossier_search WHERE key = ? AND code = ?"
)

// writeKeys makes code's stored keys from old to new (both sorted):
// nothing when they are the same, which is every transition but one that
// changes the applicant.
func (s *Store) writeKeys(ctx context.Context, tx *sql.Tx, code string, old, new []string) error {
	if slices.Equal(old, new) {
		return nil
	}
	for _, k := range old {
		if _, found := slices.BinarySearch(new, k); !found {
			if _, err := in(ctx, tx, s.st.deleteKey).ExecContext(ctx, k, code); err != nil {
				return err
			}
		}
	}
	for _, k := range new {
		if _, found := slices.BinarySearch(old, k); !found {
			if _, err := in(ctx, tx, s.st.insertKey).ExecContext(ctx, k, code); err != nil {
				return err
			}
		}
	}
	return nil
}

// searchPrefix starts the condition searchCond writes.
const searchPrefix = "code IN (SELECT code FROM dossier_search WHERE "

// searchCond is the condition of a search text: the dossiers with a key
// in [prefix, PrefixEnd(prefix)), a range of dossier_search's primary key.
// ok is false for a blank text, which does not filter.
func searchCond(text string) (cond string, args []any, ok bool) {
	p := engine.SearchPrefix(text)
	if p == "" {
		return "", nil, false
	}
	cond, args = searchPrefix+"key >= ?", []any{p}
	if end := engine.PrefixEnd(p); end != "" {
		cond, args = cond+" AND key < ?", append(args, end)
	}
	return cond + ")", args, true
}
