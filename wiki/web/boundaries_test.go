package web

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The package is in four parts, told apart by file name: the JSON API
// (api.go, api_*.go), the HTML interface (ui.go, ui_*.go), the Atom feeds
// (feeds.go, feeds_*.go) and the core they share (every other file). The
// API, the interface and the feeds use the core and nothing of each other;
// the core uses none of them, but where the Server type and New wire them
// together.

// part names the part of the package a file belongs to.
func part(file string) string {
	base := filepath.Base(file)
	switch {
	case base == "api.go" || strings.HasPrefix(base, "api_"):
		return "api"
	case base == "ui.go" || strings.HasPrefix(base, "ui_"):
		return "ui"
	case base == "feeds.go" || strings.HasPrefix(base, "feeds_"):
		return "feeds"
	}
	return "core"
}

// sideNamed matches a function or method named after its part ("apiRoutes",
// "uiError"): the receiver's type says the part, twins share a name.
var sideNamed = regexp.MustCompile(`^(api|ui|feeds)([A-Z]|$)`)

func TestPackage_Boundaries(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	files := parsePackage(t, fset)
	for _, v := range checkBoundaries(fset, files) {
		t.Error(v)
	}
	t.Run("a crossing is found", func(t *testing.T) {
		// The check must be able to fail: the same package with one
		// crossing of each kind planted in it.
		planted := map[string]string{
			"api_planted.go":   "package web\nfunc (s *api) plantedAPI() { var _ *ui }\nfunc (s *core) plantedOnCore() {}\nfunc apiPlanted() {}\n",
			"ui_planted.go":    "package web\nfunc plantedUI() { var _ *api; var _ *feeds }\n",
			"feeds_planted.go": "package web\nfunc plantedFeeds() { var _ *ui; var _ *api }\nfunc (s *ui) plantedOnUI() {}\n",
			"planted.go":       "package web\nfunc plantedCore() { var _ *ui; var _ *api; var _ *feeds }\n",
		}
		all := slices.Clone(files)
		for name, src := range planted {
			f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, f)
		}
		got := strings.Join(checkBoundaries(fset, all), "\n")
		for _, want := range []string{
			"api_planted.go:2: plantedAPI (api) uses ui, declared in the ui part (ui.go)",
			"api_planted.go:3: the method plantedOnCore of core is in the api part, its type in the core part",
			"api_planted.go:4: apiPlanted is named after its part",
			"ui_planted.go:2: plantedUI (ui) uses api, declared in the api part (api.go)",
			"ui_planted.go:2: plantedUI (ui) uses feeds, declared in the feeds part (feeds.go)",
			"feeds_planted.go:2: plantedFeeds (feeds) uses ui, declared in the ui part (ui.go)",
			"feeds_planted.go:2: plantedFeeds (feeds) uses api, declared in the api part (api.go)",
			"feeds_planted.go:3: the method plantedOnUI of ui is in the feeds part, its type in the ui part",
			"planted.go:2: plantedCore (core) uses feeds, declared in the feeds part (feeds.go)",
			"planted.go:2: plantedCore (core) uses ui, declared in the ui part (ui.go)",
			"planted.go:2: plantedCore (core) uses api, declared in the api part (api.go)",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("not found: %s\nfound:\n%s", want, got)
			}
		}
	})
}

// parsePackage parses the package's non-test files.
func parsePackage(t *testing.T, fset *token.FileSet) []*ast.File {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) < 20 {
		t.Fatalf("only %d files parsed", len(files))
	}
	return files
}

// checkBoundaries type-checks the files and returns every crossing of a
// part's boundary. Imported packages are left empty: what matters is what
// the package's own names resolve to, which go/types still finds (a
// selector such as s.render resolves through the receiver's type), and
// the check stays fast, without compiling anything.
func checkBoundaries(fset *token.FileSet, files []*ast.File) []string {
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: emptyImporter{}, Error: func(error) {}}
	pkg, _ := conf.Check("web", fset, files, info)
	var out []string
	for _, f := range files {
		from := part(fset.File(f.Pos()).Name())
		for _, d := range f.Decls {
			name, wiring := declName(d)
			out = append(out, methodSide(fset, info, pkg, d, from)...)
			if fd, ok := d.(*ast.FuncDecl); ok && sideNamed.MatchString(fd.Name.Name) {
				out = append(out, fmt.Sprintf("%s: %s is named after its part", at(fset, fd.Pos()), fd.Name.Name))
			}
			ast.Inspect(d, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok {
					return true
				}
				obj := info.Uses[id]
				if obj == nil || obj.Pkg() != pkg || !obj.Pos().IsValid() {
					return true
				}
				declFile := fset.File(obj.Pos()).Name()
				to := part(declFile)
				if to == from || to == "core" || (from == "core" && wiring) {
					return true
				}
				out = append(out, fmt.Sprintf("%s: %s (%s) uses %s, declared in the %s part (%s)",
					at(fset, id.Pos()), name, from, obj.Name(), to, filepath.Base(declFile)))
				return true
			})
		}
	}
	return out
}

// methodSide reports a method declared in one part on a type of another:
// a handler belongs to its part's type.
func methodSide(fset *token.FileSet, info *types.Info, pkg *types.Package, d ast.Decl, from string) []string {
	fd, ok := d.(*ast.FuncDecl)
	if !ok || fd.Recv == nil || len(fd.Recv.List) == 0 {
		return nil
	}
	typ := fd.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if idx, ok := typ.(*ast.IndexExpr); ok {
		typ = idx.X // a generic type's receiver
	}
	id, ok := typ.(*ast.Ident)
	if !ok {
		return nil
	}
	obj := info.Uses[id]
	if obj == nil || obj.Pkg() != pkg {
		return nil
	}
	if to := part(fset.File(obj.Pos()).Name()); to != from {
		return []string{fmt.Sprintf("%s: the method %s of %s is in the %s part, its type in the %s part", at(fset, fd.Pos()), fd.Name.Name, id.Name, from, to)}
	}
	return nil
}

// declName names a declaration for the report, and says whether it is the
// wiring of the parts (the Server type and New), which may use them all.
func declName(d ast.Decl) (name string, wiring bool) {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return d.Name.Name, d.Name.Name == "New" && d.Recv == nil
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				return s.Name.Name, s.Name.Name == "Server"
			case *ast.ValueSpec:
				return s.Names[0].Name, false
			}
		}
	}
	return "", false
}

func at(fset *token.FileSet, p token.Pos) string {
	pos := fset.Position(p)
	return fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line)
}

// emptyImporter gives every import as an empty package.
type emptyImporter struct{}

func (emptyImporter) Import(p string) (*types.Package, error) {
	pkg := types.NewPackage(p, path.Base(p))
	pkg.MarkComplete()
	return pkg, nil
}
