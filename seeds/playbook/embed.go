// Package playbook holds the default clause playbook (playbook.json): the
// company's standard for each contract key term, which legal and admins
// edit from there. app/contracts/playbook reads and checks it; this
// package only embeds it, so that package can depend on it without
// depending on the demo seeding.
package playbook

import _ "embed"

//go:embed playbook.json
var data []byte

// JSON is the default playbook's text.
func JSON() []byte { return append([]byte(nil), data...) }
