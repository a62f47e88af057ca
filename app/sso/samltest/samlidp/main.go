// Command samlidp runs the tests' SAML identity provider (package
// samltest) on its own, for the browser tests: it knows one user, "grace"
// (email grace.saml@example.com, group "rampart-admins"), asks who you are
// on a page of its own, and reads a service provider's metadata from its
// entity id. It prints its metadata URL on its first line and serves until
// killed. Never part of the rampart binary.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"rampart/app/sso/samltest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	p, err := samltest.Serve(ln, []samltest.User{{Username: "grace", Email: "grace.saml@example.com", Name: "Grace Hopper",
		Groups: []string{"rampart-admins"}}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(p.URL + "/metadata")
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	p.Close()
}
