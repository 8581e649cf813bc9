package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/pkg/resource"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// TestMain lets the test binary be the demonstration client and server.
func TestMain(m *testing.M) {
	if os.Getenv(pingPongEnv) != "" {
		if err := pingPong(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestCountsBytesPerSocket(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := tracer.Command(self)
	cmd.Env = append(os.Environ(), pingPongEnv+"=1")
	socks, err := run(cmd)
	if err != nil {
		t.Fatal(err)
	}
	// The client's socket sent "ping" and got "pong!"; the server's, the
	// other way round. The listening socket moved nothing.
	var client, server *resource.Resource
	for _, r := range socks {
		switch {
		case r.Stats.BytesWritten == 4 && r.Stats.BytesRead == 5:
			client = r
		case r.Stats.BytesWritten == 5 && r.Stats.BytesRead == 4:
			server = r
		}
	}
	if len(socks) != 2 || client == nil || server == nil {
		t.Fatalf("sockets %v; want a client that sent 4 bytes and got 5, and a server", socks)
	}
	if client.Local == "" || client.Local != server.Remote || client.Remote != server.Local {
		t.Errorf("client %s and server %s are not the two ends of one connection", client, server)
	}
	var out strings.Builder
	printSockets(&out, socks)
	if want := fmt.Sprintf("%s: sent 4 bytes, received 5 bytes\n", client); !strings.Contains(out.String(), want) {
		t.Errorf("printed %q, want a line %q", out.String(), want)
	}
}
