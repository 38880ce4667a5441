package procedures

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/motcua/motcua/engine"
)

// Loaded is a procedure together with the exact bytes it was compiled
// from, so that the version can be recorded as published
// (engine.ProcedureVersion) and compared with what was published before.
type Loaded struct {
	Procedure *engine.Procedure
	// Source is the file's content as read.
	Source []byte
	// SHA256 is SourceHash(Source).
	SHA256 string
}

// SourceHash returns the hex SHA-256 of a procedure's source. It is over
// the exact bytes, not over a normalised form: simple to explain and to
// check by hand (sha256sum FILE), and strict, since any edit of a
// published version, even of a comment, asks for a new version.
func SourceHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// LoadSources does what LoadAll does (every problem at once, (code,
// version) unique) and also returns each procedure's source bytes. Each
// procedure is compiled from the very bytes returned with it: a file
// rewritten while it is being loaded cannot pair one content's rules
// with another's hash.
func LoadSources(paths ...string) ([]Loaded, error) {
	ps, err := LoadAll(paths...)
	if err != nil {
		return nil, err
	}
	out := make([]Loaded, 0, len(ps))
	for _, first := range ps {
		data, err := os.ReadFile(first.Source)
		if err != nil {
			return nil, &Problems{List: []Problem{readProblem(first.Source, err)}}
		}
		p, err := Parse(first.Source, data)
		if err != nil {
			return nil, err
		}
		if p.Key() != first.Key() {
			return nil, &Problems{List: []Problem{{Path: first.Source, Line: 1, Col: 1,
				Msg: fmt.Sprintf("changed while being loaded (was %s, now %s); load again", first.Key(), p.Key())}}}
		}
		out = append(out, Loaded{Procedure: p, Source: data, SHA256: SourceHash(data)})
	}
	return out, nil
}
