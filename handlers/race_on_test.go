//go:build race

package handlers

// raceDetector is on in this build: the race detector makes the pure-Go
// SQLite about ten times slower, which tests that measure a lock against
// a wall-clock budget (busy_timeout) must allow for.
const raceDetector = true
