package decode

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestErrnoMessagesMatchLibc compares every errno message with the C
// library's strerror, which is what strace prints.
func TestErrnoMessagesMatchLibc(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc is not installed: cannot ask libc for its messages")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "strerror.c")
	prog := `#include <stdio.h>
#include <string.h>
int main(void) { for (int i = 1; i < 134; i++) printf("%d %s\n", i, strerror(i)); return 0; }
`
	if err := writeFile(src, prog); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "strerror")
	if out, err := exec.Command("gcc", "-o", bin, src).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	checked := 0
	for sc.Scan() {
		num, msg, _ := strings.Cut(sc.Text(), " ")
		n, _ := strconv.Atoi(num)
		if ErrnoName(n) == "" {
			continue // 41 and 58 are unused on Linux
		}
		checked++
		if got := ErrnoMessage(n); got != msg {
			t.Errorf("errno %d (%s): %q, libc says %q", n, ErrnoName(n), got, msg)
		}
	}
	if checked < 130 {
		t.Errorf("checked only %d errno values", checked)
	}
}

func TestErrnoByName(t *testing.T) {
	for name, want := range map[string]int{"ENOENT": 2, "EWOULDBLOCK": 11, "ERESTARTSYS": 512, "EHWPOISON": 133} {
		if got, ok := ErrnoByName(name); !ok || got != want {
			t.Errorf("ErrnoByName(%s) = %d, %v; want %d", name, got, ok, want)
		}
	}
	if _, ok := ErrnoByName("ENOPE"); ok {
		t.Error("ErrnoByName accepted ENOPE")
	}
}

func TestSignalNames(t *testing.T) {
	for sig, want := range map[int]string{2: "SIGINT", 17: "SIGCHLD", 29: "SIGIO", 32: "SIGRTMIN", 33: "SIGRT_1", 64: "SIGRT_32", 65: "65"} {
		if got := SignalName(sig); got != want {
			t.Errorf("SignalName(%d) = %s, want %s", sig, got, want)
		}
		if sig <= 64 {
			if n, ok := SignalByName(want); !ok || n != sig {
				t.Errorf("SignalByName(%s) = %d, %v", want, n, ok)
			}
		}
	}
	if n, ok := SignalByName("USR1"); !ok || n != 10 {
		t.Errorf("SignalByName(USR1) = %d, %v", n, ok)
	}
}

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o644) }
