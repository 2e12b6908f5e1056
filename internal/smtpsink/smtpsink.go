// Package smtpsink is a real SMTP server (emersion/go-smtp) that keeps the
// mail it accepts, for the tests and the benchmark of the notifications:
// they read back what the wiki sent, parsed, and can take the server down
// and up again on the same address.
package smtpsink

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one mail the sink accepted, parsed.
type Message struct {
	From     string
	To       []string
	Header   mail.Header
	Subject  string // decoded
	Text     string // the text/plain part
	HTML     string // the text/html part
	Raw      []byte
	Accepted time.Time
}

// Sink is a running SMTP server.
type Sink struct {
	addr string

	mu     sync.Mutex
	srv    *smtp.Server
	ln     net.Listener
	msgs   []Message
	notify chan struct{}
}

// Start starts a sink on addr ("127.0.0.1:0" for any port).
func Start(addr string) (*Sink, error) {
	s := &Sink{notify: make(chan struct{})}
	if err := s.listen(addr); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Sink) listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{sink: s}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.AllowInsecureAuth = true
	s.mu.Lock()
	s.srv, s.ln, s.addr = srv, ln, ln.Addr().String()
	s.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
	return nil
}

// Addr is host:port.
func (s *Sink) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// URL is the sink's smtp:// URL.
func (s *Sink) URL() string { return "smtp://" + s.Addr() }

// Down stops the server: connections are refused until Up.
func (s *Sink) Down() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		// The listener too: Close may come before Serve took it.
		_ = ln.Close()
		_ = srv.Close()
	}
}

// Up starts the server again on the same address.
func (s *Sink) Up() error { return s.listen(s.Addr()) }

// Close stops the server.
func (s *Sink) Close() { s.Down() }

// Messages returns what was accepted so far.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Wait waits until n messages were accepted or d passed, and returns them.
func (s *Sink) Wait(n int, d time.Duration) []Message {
	deadline := time.After(d)
	for {
		s.mu.Lock()
		got, ch := s.msgs, s.notify
		s.mu.Unlock()
		if len(got) >= n {
			return append([]Message(nil), got...)
		}
		select {
		case <-ch:
		case <-deadline:
			return s.Messages()
		}
	}
}

func (s *Sink) add(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	close(s.notify)
	s.notify = make(chan struct{})
}

type session struct {
	sink *Sink
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}
func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := Parse(raw)
	if err != nil {
		return err
	}
	m.From, m.To, m.Accepted = x.from, x.to, time.Now()
	x.sink.add(m)
	return nil
}

// Parse reads a raw message: headers, decoded subject, and its text and
// HTML parts (a multipart/alternative or a single part).
func Parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	m := Message{Header: msg.Header, Raw: raw}
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Message{}, err
	}
	err = readPart(&m, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return m, err
}

func readPart(m *Message, ctype, enc string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := readPart(m, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	b, err := decodeBody(enc, body)
	if err != nil {
		return err
	}
	// Lines travel ended by CRLF: the tests compare them as written.
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	switch mt {
	case "text/plain":
		m.Text = text
	case "text/html":
		m.HTML = text
	}
	return nil
}
