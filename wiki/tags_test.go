package wiki_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestDomainTypes_NoJSONTags keeps the domain types free of wire formats:
// the API answers with its own types (wiki/web) and the store encodes its
// own records (store/codec.go), so a json tag here would be a second,
// unused description of an answer. The one tag allowed is json:"-", which
// keeps a secret out of any encoding by mistake.
func TestDomainTypes_NoJSONTags(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			field, ok := n.(*ast.Field)
			if !ok || field.Tag == nil {
				return true
			}
			tag, err := strconv.Unquote(field.Tag.Value)
			if err != nil {
				t.Fatalf("%s: tag %s: %v", fset.Position(field.Pos()), field.Tag.Value, err)
			}
			if js, ok := reflect.StructTag(tag).Lookup("json"); ok && js != "-" {
				t.Errorf("%s: a domain type carries the tag json:%q; the API's own answer type should", fset.Position(field.Pos()), js)
			}
			return true
		})
	}
}
