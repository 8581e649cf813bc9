package cmd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGeneratedFilesUpToDate fails when completions/ or man/ differ from
// what `gtrace generate` makes of the current command tree: run
// `go run . generate` and commit the result.
func TestGeneratedFilesUpToDate(t *testing.T) {
	files, err := generatedFiles(newRootCmd(System()))
	if err != nil {
		t.Fatal(err)
	}
	again, err := generatedFiles(newRootCmd(System()))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if !bytes.Equal(again[name], data) {
			t.Errorf("%s differs between two runs: generation is not deterministic", name)
		}
		committed, err := os.ReadFile(filepath.Join("..", name))
		if err != nil {
			t.Errorf("%v: run `go run . generate`", err)
			continue
		}
		if !bytes.Equal(committed, data) {
			t.Errorf("%s is out of date: run `go run . generate` and commit it", name)
		}
	}
	for _, dir := range []string{"completions", "man"} {
		entries, err := os.ReadDir(filepath.Join("..", dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if _, ok := files[dir+"/"+e.Name()]; !ok {
				t.Errorf("%s/%s is not generated any more: remove it", dir, e.Name())
			}
		}
	}
	if man := files["man/gtrace.1"]; !bytes.Contains(man, []byte(`.TH "GTRACE" "1" "" "gtrace"`)) || !bytes.Contains(man, []byte("--summary-only")) {
		t.Errorf("man/gtrace.1 lacks its dateless header or the output flags:\n%.400s", man)
	}
}

// TestFlagValueCompletion asks the binary for completions, as the shell
// scripts do (`gtrace __complete ...`).
func TestFlagValueCompletion(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--format", ""}, Formats},
		{[]string{"--color="}, []string{"auto", "always", "never"}},
		{[]string{"--group", ""}, []string{"file", "socket", "all"}},
		{[]string{"-S", ""}, []string{"time", "calls", "errors", "name"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish", "powershell"}},
		{[]string{"--engine", ""}, []string{"auto", "ptrace", "ebpf"}},
		{[]string{"--fd-kind", "file,"}, []string{"file,socket", "file,pipe"}},
	}
	for _, tt := range tests {
		out, err := exec.Command(gtraceBin, append([]string{"__complete"}, tt.args...)...).Output()
		if err != nil {
			t.Errorf("__complete %v: %v", tt.args, err)
			continue
		}
		var got []string
		for _, line := range strings.Split(string(out), "\n") {
			if line != "" && !strings.HasPrefix(line, ":") {
				got = append(got, strings.SplitN(line, "\t", 2)[0])
			}
		}
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("__complete %v = %q, want %q among them", tt.args, got, w)
			}
		}
	}
}

func TestCompleteCategories(t *testing.T) {
	got, _ := completeCategories(nil, nil, "file,ne")
	if !slices.Contains(got, "file,network") || !slices.Contains(got, "file,desc") {
		t.Errorf("completions of %q: %q", "file,ne", got)
	}
}
