package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyTables copies the real tables to a temporary directory, with edit
// applied to categories.txt.
func copyTables(t *testing.T, edit func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir("../../tables")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("../../tables", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == "categories.txt" {
			data = []byte(edit(string(data)))
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestGenerateRefusesIncompleteCategories(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want string // in the error
	}{
		{"unchanged", func(s string) string { return s }, ""},
		{"syscall missing", func(s string) string { return strings.Replace(s, "\ngetpid process\n", "\n", 1) }, "getpid: no categories"},
		{"no category", func(s string) string { return strings.Replace(s, "\ngetpid process\n", "\ngetpid\n", 1) }, "getpid has no category"},
		{"unknown category", func(s string) string { return strings.Replace(s, "\ngetpid process\n", "\ngetpid proc\n", 1) }, `unknown category "proc"`},
		{"classes of a call strace knows", func(s string) string { return strings.Replace(s, "\ngetpid process\n", "\ngetpid process %pure\n", 1) }, "strace knows it"},
		{"classes missing", func(s string) string { return strings.Replace(s, "\nmseal memory %memory\n", "\nmseal memory\n", 1) }, "give its strace classes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyTables(t, tt.edit)
			err := run(dir, t.TempDir())
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("run: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("run: got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
