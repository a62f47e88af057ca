package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// sharedAddress is 100.64.0.0/10 (carrier-grade NAT), private in practice
// though net/netip does not call it so.
var sharedAddress = netip.MustParsePrefix("100.64.0.0/10")

// Private says whether ip is an address a webhook must not reach unless an
// admin allowed it: loopback, private networks, link-local (the cloud
// metadata service at 169.254.169.254 among them), unspecified, multicast.
func Private(ip netip.Addr) bool {
	ip = ip.Unmap()
	return !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || sharedAddress.Contains(ip) ||
		(ip.Is4() && ip.As4()[0] == 0)
}

// ErrPrivate is a connection refused because its address is private.
var ErrPrivate = errors.New("refused: the address is loopback, link-local or private")

// dialer connects only to public addresses unless allowPrivate. The check
// runs on the address actually dialled, after name resolution, so a name
// that resolves to 127.0.0.1 (or starts to, between two deliveries) is
// refused too.
func dialer(allowPrivate bool) *net.Dialer {
	return &net.Dialer{Timeout: 10 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil || Private(ap.Addr()) {
			return fmt.Errorf("%w (%s)", ErrPrivate, address)
		}
		return nil
	}}
}

// NewClient returns the HTTP client deliveries use: no proxy from the
// environment (it would dial the proxy, not the endpoint, and bypass the
// address check), no redirects (a 3xx is an answer, and following one
// could lead anywhere), a timeout per delivery.
func NewClient(allowPrivate bool, timeout time.Duration) *http.Client {
	tr := &http.Transport{Proxy: nil, DialContext: dialer(allowPrivate).DialContext, ForceAttemptHTTP2: true,
		TLSHandshakeTimeout: 10 * time.Second, MaxIdleConnsPerHost: 2, IdleConnTimeout: time.Minute}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// CheckURL says what is wrong with raw as an endpoint address, or "" when
// nothing is. Unless allowPrivate, a host that is (or now resolves to) a
// private address is refused; a name that does not resolve yet is
// accepted, since every delivery checks the address it dials.
func CheckURL(ctx context.Context, raw string, allowPrivate bool, resolver *net.Resolver) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "is required"
	}
	if len(raw) > 2048 {
		return "must be at most 2048 characters"
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || !u.IsAbs() {
		return "must be an absolute http or https URL, e.g. https://hooks.example.com/rampart"
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "must use http or https"
	}
	if u.User != nil {
		return "must not carry a user name or password: the signature proves the sender"
	}
	if u.Fragment != "" {
		return "must not have a #fragment"
	}
	if allowPrivate {
		return ""
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return "points to this machine; an administrator can allow private addresses for this endpoint"
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if Private(ip) {
			return fmt.Sprintf("is a private address (%s); an administrator can allow private addresses for this endpoint", ip)
		}
		return ""
	}
	if resolver == nil {
		resolver = net.DefaultResolver
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addrs, err := resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if Private(a) {
			return fmt.Sprintf("resolves to a private address (%s); an administrator can allow private addresses for this endpoint", a.Unmap())
		}
	}
	return ""
}
