package render

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
	"go.yaml.in/yaml/v3"
)

// Limits on the decoded front matter. YAML aliases can make a tiny text
// expand exponentially ("billion laughs"); the node budget counts expanded
// nodes so that such a text is refused instead of eating the server.
const (
	maxMetaNodes = 10000
	maxMetaDepth = 64
)

// splitFrontMatter separates a leading YAML front matter block from the
// Markdown body and decodes it. The block opens with a line "---" as the
// very first line and closes with a line "---" or "...". Without a closing
// line there is no front matter: the text is all Markdown (where "---" is a
// thematic break). meta is never nil.
//
// The block must be a YAML mapping. Invalid YAML, or YAML that is not a
// mapping, is an EInvalid error naming the line of the page: the save is
// refused so that metadata is never silently dropped or shown as text.
func splitFrontMatter(src []byte) (meta map[string]any, body []byte, err error) {
	meta = map[string]any{}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	first, rest, ok := cutLine(src)
	if !ok || string(trimLineEnd(first)) != "---" {
		return meta, src, nil
	}
	yamlSrc := rest
	for off := 0; off < len(rest); {
		line, after, _ := cutLine(rest[off:])
		if l := string(trimLineEnd(line)); l == "---" || l == "..." {
			yamlSrc = rest[:off]
			body = after
			break
		}
		off += len(rest[off:]) - len(after)
	}
	if body == nil {
		return meta, src, nil
	}
	meta, err = decodeMeta(yamlSrc)
	return meta, body, err
}

// cutLine returns the first line of b (with its newline) and what follows;
// ok is false when b is empty.
func cutLine(b []byte) (line, rest []byte, ok bool) {
	if len(b) == 0 {
		return nil, nil, false
	}
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i+1], b[i+1:], true
	}
	return b, b[len(b):], true
}

// trimLineEnd drops the line ending and trailing blanks, which editors add
// without the author noticing.
func trimLineEnd(line []byte) []byte { return bytes.TrimRight(line, " \t\r\n") }

// yamlLineRE finds the line number in go-yaml's syntax error messages.
var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlParserProblems are the messages of go-yaml's parser (as opposed to
// its scanner). The parser reports the line counting from 0 where the
// scanner counts from 1; they need one more to be 1-based.
var yamlParserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found duplicate %YAML directive":        true,
	"found duplicate %TAG directive":         true,
	"found incompatible YAML document":       true,
}

// pageLine converts a line of the front matter to a line of the page: the
// block starts on line 2, after the opening "---".
func pageLine(yamlLine int) int { return yamlLine + 1 }

// decodeMeta decodes the YAML of a front matter block. The lines its
// errors name are the page's, never past the block's last line: YAML
// counts a lone carriage return as a line break, the page does not.
func decodeMeta(src []byte) (map[string]any, error) {
	last := pageLine(bytes.Count(src, []byte("\n")) + 1)
	meta, err := decodeYAMLMeta(src, last)
	var we *wiki.Error
	if errors.As(err, &we) && we.Line > last {
		we.Message = strings.Replace(we.Message, fmt.Sprintf("line %d:", we.Line), fmt.Sprintf("line %d:", last), 1)
		we.Line = last
	}
	return meta, err
}

func decodeYAMLMeta(src []byte, last int) (map[string]any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		msg, line := strings.TrimPrefix(err.Error(), "yaml: "), 0
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			if yamlParserProblems[m[2]] {
				n++
			}
			line = min(pageLine(n), last)
			msg = fmt.Sprintf("line %d: %s", line, m[2])
		}
		return nil, &wiki.Error{Code: wiki.EInvalid, Message: "invalid front matter (YAML between the --- lines), " + msg, Err: err, Line: line, Reason: wiki.ReasonFrontMatterInvalid}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return map[string]any{}, nil // empty block
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return map[string]any{}, nil // only comments, or "~"
	}
	if root.Kind != yaml.MappingNode {
		return nil, metaErr(root, "the front matter must be a list of \"key: value\" lines")
	}
	c := converter{budget: maxMetaNodes}
	v, err := c.value(root, 0)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

func metaErr(n *yaml.Node, format string, args ...any) *wiki.Error {
	e := wiki.Errorf(wiki.EInvalid, "invalid front matter, line %d: %s", pageLine(n.Line), fmt.Sprintf(format, args...))
	e.Line = pageLine(n.Line)
	return e
}

// converter turns a YAML node tree into JSON-ready values, spending one unit
// of budget per node visited (aliases included).
type converter struct{ budget int }

func (c *converter) value(n *yaml.Node, depth int) (any, error) {
	c.budget--
	if c.budget < 0 || depth > maxMetaDepth {
		return nil, metaErr(n, "the front matter is too large or too deeply nested")
	}
	switch n.Kind {
	case yaml.AliasNode:
		return c.value(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			v, err := c.value(item, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		return c.mapping(n, depth)
	case yaml.ScalarNode:
		return scalar(n), nil
	}
	return nil, metaErr(n, "unsupported YAML content")
}

func (c *converter) mapping(n *yaml.Node, depth int) (map[string]any, error) {
	out := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		for k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			return nil, metaErr(n.Content[i], "a key must be a plain word, not a list or a mapping")
		}
		if _, dup := out[k.Value]; dup {
			return nil, metaErr(n.Content[i], "the key %q appears twice", k.Value)
		}
		v, err := c.value(n.Content[i+1], depth+1)
		if err != nil {
			return nil, err
		}
		out[k.Value] = v
	}
	return out, nil
}

// scalar keeps scalars "as written" (CONTRACT.md): numbers, booleans and null
// become their JSON counterparts, everything else (dates included) is the
// text exactly as the author typed it. Values JSON cannot hold (infinities,
// NaN, out-of-range integers) also stay text.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return i
		}
		var f float64
		if n.Decode(&f) == nil && !math.IsInf(f, 0) {
			return f
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
	}
	return n.Value
}

// metaTitle returns the front matter's title when it is a scalar.
func metaTitle(meta map[string]any) string {
	switch t := meta["title"].(type) {
	case string:
		return strings.TrimSpace(t)
	case int64, float64, bool:
		return fmt.Sprint(t)
	}
	return ""
}

// FrontMatter decodes only the front matter of src, with the same rules
// and errors as Render, without rendering the Markdown: what lists need
// to show a page's type, status and projects (wiki.FrontMatterReader).
func (r *Renderer) FrontMatter(src []byte) (map[string]any, error) {
	meta, _, err := splitFrontMatter(src)
	return meta, err
}
