// Command gtrace traces the syscalls and signals of Linux programs.
package main

import (
	"os"

	"github.com/gtrace/gtrace/cmd"
)

func main() { os.Exit(cmd.Main(os.Args[1:])) }
