package wiki

import (
	"strings"
)

// Section is a part of a page that starts with a heading and runs to the
// next heading of the same or a higher level (a lower number), as
// Start:End byte offsets into the Markdown. Sections are numbered from 1
// in the order of their headings; what comes before the first heading is
// no section.
type Section struct {
	Level      int
	Start, End int
}

// Sections returns the sections of md: the headings of its top level
// (ATX "## …" and setext underlines) outside front matter and fenced code,
// which are the headings a page shows as direct children of its body.
func Sections(md string) []Section {
	var out []Section
	var open []int // indexes into out of sections not yet ended, by level
	heading := func(level, start int) {
		for len(open) > 0 && out[open[len(open)-1]].Level >= level {
			out[open[len(open)-1]].End = start
			open = open[:len(open)-1]
		}
		open = append(open, len(out))
		out = append(out, Section{Level: level, Start: start})
	}
	var sc lineScanner
	sc.init(md)
	for sc.next() {
		if lvl, start, ok := sc.heading(); ok {
			heading(lvl, start)
		}
	}
	for _, i := range open {
		out[i].End = len(md)
	}
	return out
}

// SectionText returns the Markdown of section n (from 1) of md.
func SectionText(md string, n int) (string, error) {
	secs := Sections(md)
	if n < 1 || n > len(secs) {
		return "", Errorf(EInvalid, "the page has %d sections, not a section %d", len(secs), n).Because(ReasonSectionMissing, len(secs))
	}
	return md[secs[n-1].Start:secs[n-1].End], nil
}

// SpliceSection returns md with section n (from 1) replaced by text. The
// text keeps what follows it on a line of its own.
func SpliceSection(md string, n int, text string) (string, error) {
	secs := Sections(md)
	if n < 1 || n > len(secs) {
		return "", Errorf(EInvalid, "the page has %d sections, not a section %d", len(secs), n).Because(ReasonSectionMissing, len(secs))
	}
	sec := secs[n-1]
	rest := md[sec.End:]
	if rest != "" && text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return md[:sec.Start] + text + rest, nil
}

// lineScanner walks the lines of a Markdown text, knowing whether each is
// in front matter, in a fenced code block or in a paragraph.
type lineScanner struct {
	md          string
	start, end  int    // the current line, without its newline
	fence       string // the opening fence while in fenced code, else ""
	para        int    // where the paragraph the line continues starts, -1 if none
	frontMatter bool
}

func (sc *lineScanner) init(md string) {
	sc.md, sc.start, sc.end, sc.para = md, 0, -1, -1
	first, rest, _ := strings.Cut(md, "\n")
	if strings.TrimRight(first, " \t\r") != "---" {
		return
	}
	for rest != "" {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		if l = strings.TrimRight(l, " \t\r"); l == "---" || l == "..." {
			sc.frontMatter = true
			return
		}
	}
}

// next moves to the next line; false at the end.
func (sc *lineScanner) next() bool {
	if sc.end >= len(sc.md) {
		return false
	}
	if sc.end >= 0 {
		sc.start = sc.end + 1
	}
	if sc.start > len(sc.md) || sc.start == len(sc.md) && sc.end >= 0 {
		return false
	}
	if i := strings.IndexByte(sc.md[sc.start:], '\n'); i >= 0 {
		sc.end = sc.start + i
	} else {
		sc.end = len(sc.md)
	}
	return true
}

// heading reads the current line: a heading's level and where it starts
// (a setext heading starts with its paragraph), ok false for any other
// line. It keeps the scanner's state up to date, so it is called once
// per line.
func (sc *lineScanner) heading() (level, start int, ok bool) {
	line := strings.TrimRight(sc.md[sc.start:sc.end], " \t\r")
	if sc.frontMatter {
		if sc.start > 0 && (line == "---" || line == "...") {
			sc.frontMatter = false
		}
		return 0, 0, false
	}
	body, indent := trimIndent(line)
	if sc.fence != "" {
		if indent < 4 && strings.HasPrefix(body, sc.fence) && strings.Trim(body, sc.fence[:1]) == "" {
			sc.fence = ""
		}
		return 0, 0, false
	}
	para := sc.para
	sc.para = -1
	switch {
	case line == "" || indent >= 4 && para < 0:
		return 0, 0, false
	case indent >= 4:
		sc.para = para // an indented line continues a paragraph
	case isFence(body):
		n := len(body) - len(strings.TrimLeft(body, body[:1]))
		sc.fence = body[:n]
	case atxLevel(body) > 0:
		return atxLevel(body), sc.start, true
	case para >= 0 && setextLevel(body) > 0:
		return setextLevel(body), para, true
	case strings.ContainsAny(body[:1], ">-*+|") || isOrdered(body):
		// Quotes, list items, tables, rules: not a paragraph a setext
		// underline could turn into a heading.
	case para >= 0:
		sc.para = para
	default:
		sc.para = sc.start
	}
	return 0, 0, false
}

func trimIndent(line string) (string, int) {
	n := 0
	for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
		if line[n] == '\t' {
			return line[n:], 4
		}
		n++
	}
	return line[n:], n
}

func isFence(s string) bool {
	return strings.HasPrefix(s, "```") && !strings.Contains(strings.TrimLeft(s, "`"), "`") || strings.HasPrefix(s, "~~~")
}

// atxLevel is the level of an ATX heading line ("## …"), else 0.
func atxLevel(s string) int {
	n := 0
	for n < len(s) && s[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n < len(s) && s[n] != ' ' && s[n] != '\t' {
		return 0
	}
	return n
}

// setextLevel is 1 for a line of "=", 2 for a line of "-", else 0.
func setextLevel(s string) int {
	switch {
	case s != "" && strings.Trim(s, "=") == "":
		return 1
	case s != "" && strings.Trim(s, "-") == "":
		return 2
	}
	return 0
}

func isOrdered(s string) bool {
	n := 0
	for n < len(s) && n < 10 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n > 0 && n < len(s) && (s[n] == '.' || s[n] == ')')
}
