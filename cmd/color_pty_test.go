package cmd

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gtrace/gtrace/internal/ptytest"
)

// readAll reads the master side until the slave side is closed by every
// process (EIO on Linux).
func readAll(m *os.File) <-chan []byte {
	done := make(chan []byte, 1)
	go func() {
		var buf bytes.Buffer
		_, _ = io.Copy(&buf, m)
		done <- buf.Bytes()
	}()
	return done
}

var sgr = []byte("\x1b[")

// TestColorAuto runs gtrace with --color=auto (the default) and checks
// that colour follows the trace's own destination: a terminal gets it, a
// pipe or a file does not, whatever stdout is, and NO_COLOR turns it off.
func TestColorAuto(t *testing.T) {
	tests := []struct {
		name      string
		stderrTTY bool // stderr is the pty (else a pipe)
		stdoutTTY bool // stdout is the pty
		outFile   bool // -o FILE
		outTTY    bool // -o /dev/pts/N
		env       []string
		want      bool
	}{
		{name: "stderr is a terminal", stderrTTY: true, want: true},
		{name: "stderr is a pipe, stdout a terminal", stdoutTTY: true},
		{name: "NO_COLOR", stderrTTY: true, env: []string{"NO_COLOR=1"}},
		{name: "-o FILE while stderr is a terminal", stderrTTY: true, outFile: true},
		{name: "-o a terminal", outTTY: true, want: true},
		{name: "CLICOLOR_FORCE to a pipe", env: []string{"CLICOLOR_FORCE=1"}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			master, slave := ptytest.Open(t)
			defer master.Close()
			args := []string{"true"}
			file := filepath.Join(t.TempDir(), "trace")
			switch {
			case tt.outFile:
				args = append([]string{"-o", file}, args...)
			case tt.outTTY:
				args = append([]string{"-o", slave.Name()}, args...)
			}
			cmd := exec.Command(gtraceBin, args...)
			cmd.Env = append(filterEnv(os.Environ(), "NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM"), "TERM=xterm")
			cmd.Env = append(cmd.Env, tt.env...)
			var pipe bytes.Buffer
			cmd.Stderr, cmd.Stdout = &pipe, io.Discard
			if tt.stderrTTY {
				cmd.Stderr = slave
			}
			if tt.stdoutTTY {
				cmd.Stdout = slave
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			ttyOut := readAll(master)
			err := cmd.Wait()
			// The reader ends when the last slave descriptor closes;
			// ours stayed open until now for -o /dev/pts/N to open.
			slave.Close()
			if err != nil {
				t.Fatalf("gtrace: %v\n%s", err, pipe.Bytes())
			}
			var tty []byte
			select {
			case tty = <-ttyOut:
			case <-time.After(10 * time.Second):
				t.Fatal("the terminal was not closed")
			}
			trace := append(append([]byte{}, tty...), pipe.Bytes()...)
			if tt.outFile {
				trace, _ = os.ReadFile(file)
				if len(tty) != 0 {
					t.Errorf("with -o FILE the terminal got %q", tty)
				}
			}
			if !bytes.Contains(trace, []byte("execve(")) && !bytes.Contains(trace, []byte("execve\x1b")) {
				t.Fatalf("no trace seen: %q", trace)
			}
			if got := bytes.Contains(trace, sgr); got != tt.want {
				t.Errorf("coloured = %v, want %v: %q", got, tt.want, trace[:min(len(trace), 300)])
			}
		})
	}
}

// filterEnv drops the named variables from env.
func filterEnv(env []string, names ...string) []string {
	var out []string
outer:
	for _, kv := range env {
		for _, n := range names {
			if len(kv) > len(n) && kv[:len(n)+1] == n+"=" {
				continue outer
			}
		}
		out = append(out, kv)
	}
	return out
}
