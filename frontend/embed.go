// Package frontend embeds the built single-page app. The build writes to
// dist/spa (not committed); dist/.gitkeep keeps the embed pattern valid in
// a clean clone, where Files reports that the app is not built.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Files returns the built SPA with index.html at its root, or nil when the
// binary was compiled before `npm run build`.
func Files() fs.FS {
	sub, err := fs.Sub(dist, "dist/spa")
	if err != nil {
		return nil
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return nil
	}
	return sub
}
