// Command rampart is the Rampart server and its administration commands.
package main

import (
	"context"
	"os"

	"rampart/app"
)

func main() {
	os.Exit(app.Main(context.Background(), os.Args, os.Stdin, os.Stdout, os.Stderr))
}
