// Package procedures is the YAML language in which admins declare
// procedures, directories and calendars: decoding on yaml.Node (positions
// kept), validation, compilation to engine types, diagrams.
package procedures

import (
	"errors"

	"github.com/motcua/motcua/engine"
)

// LoadFile reads and compiles one procedure file.
func LoadFile(path string) (*engine.Procedure, error) {
	return nil, errors.New("procedures.LoadFile: not implemented yet")
}

// LoadDirectory reads a directory (units and people) file.
func LoadDirectory(path string) (*engine.Directory, error) {
	return nil, errors.New("procedures.LoadDirectory: not implemented yet")
}

// LoadAll reads and compiles every procedure in the given files and folders.
func LoadAll(paths ...string) ([]*engine.Procedure, error) {
	return nil, errors.New("procedures.LoadAll: not implemented yet")
}
