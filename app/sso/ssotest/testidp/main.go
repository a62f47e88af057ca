// Command testidp runs the tests' OpenID provider (package ssotest) on its
// own, for the browser tests: it knows one user, "ada" (password
// "ada-password", email ada.sso@example.com, group "rampart-admins"), and
// the client "rampart" (secret "testidp-secret") with the redirect URI
// given. It prints the issuer URL on its first line and serves until
// killed. Never part of the rampart binary.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"rampart/app/sso/ssotest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	redirect := flag.String("redirect", "", "Rampart's callback URL for the client")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	p := ssotest.Serve(ln, []ssotest.User{{ID: "ada", Username: "ada", Password: "ada-password", Email: "ada.sso@example.com",
		EmailVerified: true, First: "Ada", Last: "Lovelace", Groups: []string{"rampart-admins"}}},
		ssotest.Client{ID: "rampart", Secret: "testidp-secret", Redirect: *redirect})
	fmt.Println(p.Issuer)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	p.Close()
}
