package engine_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// wordless lists the coded errors that have no words in two languages,
// each with the reason; every other error type with an ErrorCode method,
// anywhere in the module, must speak (engine.Localized).
var wordless = map[string]string{
	// Findings about a YAML file, one "path:line:col: message" line each,
	// for the people who write procedures and scenarios: read in the
	// editor beside the file, like a compiler's, in English.
	"procedures.Problems": "lint findings",
	"simulate.ParseError": "scenario findings",
}

// TestEveryCodedErrorSpeaks walks the module's sources: an error type a
// person can cause (one with an application code) without a
// Message(lang string) string method would reach people as generic words
// or as English only, so a new one fails here until it has its words.
func TestEveryCodedErrorSpeaks(t *testing.T) {
	t.Parallel()
	coded, speaks := map[string]bool{}, map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != ".." && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
				continue
			}
			key := filepath.Base(filepath.Dir(path)) + "." + receiverName(fn.Recv.List[0].Type)
			switch {
			case fn.Name.Name == "ErrorCode":
				coded[key] = true
			case fn.Name.Name == "Message" && takesLangGivesString(fn.Type):
				speaks[key] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(coded) < 10 {
		t.Fatalf("found only %d coded error types: is the walk looking at the module?", len(coded))
	}
	for key := range coded {
		if !speaks[key] && wordless[key] == "" {
			t.Errorf("%s has an application code but no Message(lang string) string: give it words in Vietnamese and English", key)
		}
	}
	for key := range wordless {
		if !coded[key] {
			t.Errorf("%s is listed as wordless but is gone: remove it from the list", key)
		}
	}
}

// receiverName is T for receivers T and *T.
func receiverName(e ast.Expr) string {
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// takesLangGivesString reports a func(string) string signature.
func takesLangGivesString(ft *ast.FuncType) bool {
	isString := func(fl *ast.FieldList) bool {
		if fl == nil || fl.NumFields() != 1 {
			return false
		}
		id, ok := fl.List[0].Type.(*ast.Ident)
		return ok && id.Name == "string"
	}
	return isString(ft.Params) && isString(ft.Results)
}
