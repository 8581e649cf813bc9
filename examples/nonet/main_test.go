package main

import (
	"bytes"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/pkg/tracer"
)

// TestMain lets the test binary be the demonstration client.
func TestMain(m *testing.M) {
	if addr := os.Getenv(dialEnv); addr != "" {
		dial(addr, os.Stdout)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestConnectIsDenied(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		deny   bool
		client string
	}{
		{"traced", true, "connect: permission denied"},
		{"untraced", false, "client: connected to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := tracer.Command(self)
			cmd.Env = append(os.Environ(), dialEnv+"="+ln.Addr().String())
			var out, report bytes.Buffer
			cmd.Stdout = &out
			if tc.deny {
				if err := run(cmd, &report); err != nil {
					t.Fatal(err)
				}
			} else {
				// The same client, untraced, reaches the server: the
				// denial is the tracer's doing.
				dial(ln.Addr().String(), &out)
			}
			if !strings.Contains(out.String(), tc.client) {
				t.Errorf("client said %q, want %q", out.String(), tc.client)
			}
			if tc.deny && !strings.Contains(report.String(), "a connection to "+ln.Addr().String()) {
				t.Errorf("report %q does not name the address", report.String())
			}
		})
	}
}
