package sso

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"time"

	"rampart/app/webhooks"
)

// checkMetadataURL refuses what a metadata address must not be: not
// https, or (unless the service allows private addresses, as tests do) a
// private address, with the webhooks' rules; the client checks again the
// address it dials.
func (s *Service) checkMetadataURL(ctx context.Context, raw string) string {
	if msg := webhooks.CheckURL(ctx, raw, s.AllowPrivateMetadata, nil); msg != "" {
		return msg
	}
	u, _ := url.Parse(raw)
	if u.Scheme != "https" && !s.AllowPrivateMetadata {
		return "must use https"
	}
	return ""
}

func (s *Service) metadataClient() *http.Client {
	return webhooks.NewClient(s.AllowPrivateMetadata, 15*time.Second)
}

func httpGet(ctx context.Context, u string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err == nil {
		req.Header.Set("Accept", "application/samlmetadata+xml, application/xml, text/xml")
	}
	return req, err
}

func limitReader(r io.Reader, n int64) io.Reader { return io.LimitReader(r, n) }
