package auth

import (
	"strconv"

	"github.com/mileusna/useragent"
)

// DeviceOf describes a browser from its User-Agent for the sessions page,
// e.g. "Firefox 128 on Windows"; the header is the client's own claim.
func DeviceOf(ua string) string {
	if ua == "" {
		return "Unknown device"
	}
	p := useragent.Parse(ua)
	name := p.Name
	if name == "" {
		name = "Unknown browser"
	} else if v := p.VersionNo.Major; v > 0 {
		name += " " + strconv.Itoa(v)
	}
	if p.OS != "" {
		name += " on " + p.OS
	}
	return truncate(name, 100)
}
