package main

import (
	"fmt"
	"os"
	"slices"
	"testing"

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
	counts, err := run(cmd)
	if err != nil {
		t.Fatal(err)
	}
	var got []traffic
	for _, c := range counts {
		got = append(got, *c)
	}
	slices.SortFunc(got, func(a, b traffic) int { return int(a.sent - b.sent) })
	// The client's socket sent "ping" and got "pong!"; the server's, the
	// other way round. The listening socket moved nothing.
	want := []traffic{{sent: 4, received: 5}, {sent: 5, received: 4}}
	if !slices.Equal(got, want) {
		t.Errorf("traffic %+v, want %+v", got, want)
	}
}
