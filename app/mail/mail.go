// Package mail sends the outbox's messages over SMTP (github.com/wneessen/go-mail)
// and says whether a refusal is for good (a bounce) or worth another try.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is what the outbox hands to a Sender.
type Message struct {
	To, ToName     string
	ReplyTo        string
	ReplyToName    string
	Subject        string
	Text, HTML     string
	MessageID      string // without angle brackets
	ThreadID       string // the thread's first Message-ID; empty for a new thread
	UnsubscribeURL string
}

// Sender delivers one message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Permanent marks an error the server gave for good (5xx): the address
// bounced or the message is refused, and trying again will not help.
type Permanent struct {
	Err error
	// Bounce: the server refused the recipient's address (at RCPT TO), as
	// opposed to the sender or the message.
	Bounce bool
}

func (p *Permanent) Error() string { return p.Err.Error() }
func (p *Permanent) Unwrap() error { return p.Err }

// IsPermanent reports whether err is a refusal for good.
func IsPermanent(err error) bool {
	var p *Permanent
	return errors.As(err, &p)
}

// IsBounce reports whether err refused the recipient's address for good.
func IsBounce(err error) bool {
	var p *Permanent
	return errors.As(err, &p) && p.Bounce
}

// Config is the SMTP server and the sender address.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	// Implicit TLS (smtps://) rather than STARTTLS.
	TLS bool
	// StartTLS says how STARTTLS is used with smtp://: "mandatory" (the
	// default), "opportunistic" (?starttls=opportunistic), or "none" for a
	// local relay (?starttls=none).
	StartTLS string
	From     mail.Address
	Timeout  time.Duration
}

// ParseURL reads RAMPART_SMTP_URL (smtp://user:pass@host:587,
// smtps://user:pass@host:465, smtp://host:25?starttls=none) and
// RAMPART_MAIL_FROM ("Rampart <risk@example.com>").
func ParseURL(raw, from string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, errors.New("must be a URL such as smtp://user:password@mail.example.com:587")
	}
	c := Config{Host: u.Hostname(), Timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
		c.Port = 587
		c.StartTLS = "mandatory"
	case "smtps":
		c.Port, c.TLS = 465, true
	default:
		return Config{}, errors.New("must start with smtp:// or smtps://")
	}
	if c.Host == "" {
		return Config{}, errors.New("names no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Config{}, errors.New("has an invalid port")
		}
		c.Port = n
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if v := u.Query().Get("starttls"); v != "" {
		if c.TLS || (v != "mandatory" && v != "opportunistic" && v != "none") {
			return Config{}, errors.New("starttls must be mandatory, opportunistic or none, with smtp:// only")
		}
		c.StartTLS = v
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return Config{}, fmt.Errorf("mail from %q is not an address such as Rampart <risk@example.com>", from)
	}
	c.From = *addr
	return c, nil
}

// SMTP sends through one SMTP server, a connection per message: the
// outbox sends a few messages a minute, and a fresh connection recovers
// from a server restart by itself.
type SMTP struct{ Config Config }

// Send delivers m.
func (s SMTP) Send(ctx context.Context, m Message) error {
	msg, err := build(s.Config.From, m)
	if err != nil {
		if IsPermanent(err) {
			return err
		}
		return &Permanent{Err: err}
	}
	opts := []gomail.Option{gomail.WithPort(s.Config.Port), gomail.WithTimeout(s.Config.Timeout)}
	switch {
	case s.Config.TLS:
		opts = append(opts, gomail.WithSSL())
	case s.Config.StartTLS == "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case s.Config.StartTLS == "opportunistic":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.Config.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if s.Config.StartTLS == "none" {
			// A relay on a trusted network, asked for by name: go-mail's
			// discovery offers no mechanism without TLS, so use PLAIN.
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(s.Config.Username), gomail.WithPassword(s.Config.Password))
	}
	c, err := gomail.NewClient(s.Config.Host, opts...)
	if err != nil {
		return err
	}
	return classify(c.DialAndSendWithContext(ctx, msg))
}

// classify turns the server's 5xx answers into Permanent; anything else
// (no answer, 4xx, a dropped connection) is worth another try.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		return &Permanent{Err: err, Bounce: se.Reason == gomail.ErrSMTPRcptTo}
	}
	return err
}

// build makes the MIME message. Names and subjects are set through
// go-mail, which encodes them, and stripped of line breaks first, so that
// nothing a vendor typed can add a header.
func build(from mail.Address, m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(oneLine(from.Name), from.Address); err != nil {
		return nil, fmt.Errorf("sender address: %w", err)
	}
	if err := msg.AddToFormat(oneLine(m.ToName), m.To); err != nil {
		return nil, &Permanent{Err: fmt.Errorf("recipient address %q: %w", m.To, err), Bounce: true}
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyToFormat(oneLine(m.ReplyToName), m.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to address %q: %w", m.ReplyTo, err)
		}
	}
	msg.Subject(oneLine(m.Subject))
	msg.SetMessageIDWithValue(m.MessageID)
	if m.ThreadID != "" && m.ThreadID != m.MessageID {
		msg.SetGenHeader(gomail.HeaderInReplyTo, "<"+m.ThreadID+">")
		msg.SetGenHeader(gomail.HeaderReferences, "<"+m.ThreadID+">")
	}
	if m.UnsubscribeURL != "" {
		msg.SetGenHeader(gomail.Header("List-Unsubscribe"), "<"+m.UnsubscribeURL+">")
	}
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// oneLine removes line breaks and other control characters.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}
