// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) on
// loopback for tests: Rampart's mail is checked by what arrives over SMTP,
// never by a stand-in for its sender.
package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message as the server took it.
type Received struct {
	From   string
	To     []string
	Raw    []byte
	Header mail.Header
	// Text and HTML are the message's plain-text and HTML parts, decoded.
	Text, HTML string
}

// Server is a running SMTP server that keeps what it receives.
type Server struct {
	// Username and Password, when set, are required (AUTH PLAIN).
	Username, Password string

	tb   testing.TB
	addr string
	mu   sync.Mutex
	srv  *smtp.Server
	ln   net.Listener
	msgs []Received
	// refuse maps an address to the permanent error RCPT gives it.
	refuse map[string]bool
	// refuseData makes DATA refuse every message for good.
	refuseData bool
	// gate, while set, holds every MAIL FROM until it is closed; held
	// counts the deliveries waiting at it.
	gate chan struct{}
	held int
}

// Start runs a server on a free loopback port until the test ends.
func Start(tb testing.TB) *Server {
	s := &Server{tb: tb, refuse: map[string]bool{}}
	s.listen("127.0.0.1:0")
	tb.Cleanup(s.Stop)
	return s
}

func (s *Server) listen(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.tb.Fatalf("mailtest: listen: %v", err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 10 << 20
	s.mu.Lock()
	s.srv, s.ln, s.addr = srv, ln, ln.Addr().String()
	s.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

// Addr is host:port.
func (s *Server) Addr() string { return s.addr }

// URL is the server as RAMPART_SMTP_URL names it (plain SMTP: loopback).
func (s *Server) URL() string {
	auth := ""
	if s.Username != "" {
		auth = s.Username + ":" + s.Password + "@"
	}
	return "smtp://" + auth + s.addr + "?starttls=none"
}

// Stop closes the server; Restart opens it again on the same port.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		// Serve may not have taken the listener yet: close it too.
		_ = ln.Close()
		_ = srv.Close()
	}
}

// Restart listens again on the port the server had.
func (s *Server) Restart() {
	s.Stop()
	s.listen(s.addr)
}

// RefuseMessages makes the server refuse every message for good at DATA
// (554), as a server does with a message its policy rejects; RCPT is
// accepted, so the address is not at fault.
func (s *Server) RefuseMessages() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseData = true
}

// Refuse makes RCPT TO refuse addr for good (550), as for an address that
// does not exist.
func (s *Server) Refuse(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse[strings.ToLower(addr)] = true
}

// Hold makes every delivery that starts from now wait at MAIL FROM, before
// any of its message is sent, until Release: a test can stop senders in
// the middle of a delivery (and kill one) knowing that nothing of what
// they were sending has been taken yet.
func (s *Server) Hold() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gate == nil {
		s.gate = make(chan struct{})
	}
}

// Held is how many deliveries wait at Hold.
func (s *Server) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// Release lets the held deliveries go on.
func (s *Server) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gate != nil {
		close(s.gate)
		s.gate = nil
	}
}

// Messages returns a copy of what arrived so far, in order.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

// WaitFor waits until at least n messages arrived or timeout passes, and
// returns what arrived.
func (s *Server) WaitFor(n int, timeout time.Duration) []Received {
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.Messages()
		if len(msgs) >= n || time.Now().After(deadline) {
			return msgs
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.s.Username || pass != ss.s.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "authentication failed"}
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.Username != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.s.mu.Lock()
	gate := ss.s.gate
	if gate != nil {
		ss.s.held++
	}
	ss.s.mu.Unlock()
	if gate != nil {
		<-gate
		ss.s.mu.Lock()
		ss.s.held--
		ss.s.mu.Unlock()
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	refused := ss.s.refuse[strings.ToLower(to)]
	ss.s.mu.Unlock()
	if refused {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user: " + to}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	refused := ss.s.refuseData
	ss.s.mu.Unlock()
	if refused {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "message refused by policy"}
	}
	rec := Received{From: ss.from, To: ss.to, Raw: raw}
	if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		rec.Header = m.Header
		rec.Text, rec.HTML = parts(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
	}
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, rec)
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// parts finds the text/plain and text/html parts of a body.
func parts(contentType, encoding string, body io.Reader) (text, html string) {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		b, _ := io.ReadAll(body)
		return string(b), ""
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			t, h := parts(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
			text, html = first(text, t), first(html, h)
		}
		return text, html
	}
	b, _ := io.ReadAll(decode(encoding, body))
	switch mediaType {
	case "text/plain":
		return string(b), ""
	case "text/html":
		return "", string(b)
	}
	return "", ""
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func decode(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r)
	}
	return r
}

// Subject decodes the message's Subject header.
func (r Received) Subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(r.Header.Get("Subject"))
	if err != nil {
		return r.Header.Get("Subject")
	}
	return s
}

// MessageID is the Message-ID without angle brackets.
func (r Received) MessageID() string {
	return strings.Trim(r.Header.Get("Message-Id"), "<> ")
}

// To returns the messages sent to addr.
func To(msgs []Received, addr string) []Received {
	var out []Received
	for _, m := range msgs {
		for _, t := range m.To {
			if strings.EqualFold(t, addr) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// String helps failure messages.
func (r Received) String() string {
	return fmt.Sprintf("to %v: %q", r.To, r.Subject())
}
