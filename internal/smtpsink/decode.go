package smtpsink

import (
	"encoding/base64"
	"io"
	"mime/quotedprintable"
	"strings"
)

// decodeBody undoes a Content-Transfer-Encoding.
func decodeBody(enc string, r io.Reader) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "quoted-printable":
		return io.ReadAll(quotedprintable.NewReader(r))
	case "base64":
		return io.ReadAll(base64.NewDecoder(base64.StdEncoding, &stripNewlines{r: r}))
	}
	return io.ReadAll(r)
}

// stripNewlines drops CR and LF, which base64 bodies are cut with.
type stripNewlines struct{ r io.Reader }

func (s *stripNewlines) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	j := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' {
			p[j] = c
			j++
		}
	}
	return j, err
}
