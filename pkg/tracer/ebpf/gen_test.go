package ebpf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// generatedWith is the clang major version the committed object was
// compiled with: another version compiles other, equally valid, bytes.
const generatedWith = "14"

// TestGenerated compiles the BPF program again, as go generate does,
// and checks that the committed object and bindings are what the source
// makes.
func TestGenerated(t *testing.T) {
	clang, err := exec.LookPath("clang")
	if err != nil {
		t.Skip("clang is not installed: cannot check the committed BPF object (apt-get install clang llvm)")
	}
	version, _ := exec.Command(clang, "--version").Output()
	if m := regexp.MustCompile(`clang version (\d+)`).FindSubmatch(version); m == nil || string(m[1]) != generatedWith {
		t.Skipf("clang is not version %s, which compiled the committed object: %s", generatedWith, firstLine(version))
	}
	src, err := os.ReadFile("gen.go")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^//go:generate go tool bpf2go (.*)$`).FindSubmatch(src)
	if m == nil {
		t.Fatal("gen.go has no go:generate line for bpf2go")
	}
	dir := t.TempDir()
	args := append([]string{"tool", "bpf2go", "-output-dir", dir}, strings.Fields(string(m[1]))...)
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "GOPACKAGE=ebpf", "GOFILE=gen.go")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bpf2go: %v\n%s", err, out)
	}
	for _, name := range []string{"gtrace_x86_bpfel.o", "gtrace_x86_bpfel.go"} {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what bpf/gtrace.c compiles to: run go generate ./pkg/tracer/ebpf", name)
		}
	}
}

func firstLine(b []byte) string {
	line, _, _ := strings.Cut(string(b), "\n")
	return line
}
