package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
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

const tablesDir = "../../tables"

// TestTablesAreCurrent regenerates the tables and compares them with the
// committed ones.
func TestTablesAreCurrent(t *testing.T) {
	dir := t.TempDir()
	if err := run(tablesDir, dir); err != nil {
		t.Fatal(err)
	}
	for _, a := range arches {
		name := "zsyscalls_" + a.name + ".go"
		want, err := os.ReadFile(filepath.Join("../..", name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date: run go generate ./pkg/decode", name)
		}
	}
}

// minDecoded is how many x86_64 syscalls must be decoded beyond what
// their C types give (issue 4 asks for 250).
const minDecoded = 250

// TestDecodedBeyondDefaults counts the x86_64 syscalls whose arguments or
// result the overlay or a custom decoder decodes beyond the defaults
// their C types give, and fails if the count falls.
func TestDecodedBeyondDefaults(t *testing.T) {
	protos, err := readPrototypes(filepath.Join(tablesDir, "prototypes.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ov, err := readOverlay(filepath.Join(tablesDir, "overlay.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a := arches[0]
	entries, err := readTable(filepath.Join(tablesDir, a.tbl), a.abis)
	if err != nil {
		t.Fatal(err)
	}
	tbl := decode.TableFor(event.ArchX86_64)
	n := 0
	for _, e := range entries {
		if sc := tbl.ByName(e.name); (sc != nil && sc.Custom()) || beyondDefaults(ov.lookup(a, e.name), params(protos, e)) {
			n++
		}
	}
	t.Logf("%d x86_64 syscalls decoded beyond their defaults", n)
	if n < minDecoded {
		t.Errorf("%d x86_64 syscalls decoded beyond their defaults, want at least %d", n, minDecoded)
	}
}

// params are the kernel's arguments of an entry, as buildRow finds them.
func params(protos map[string][]param, e entry) []param {
	if p, ok := protos[strings.TrimPrefix(e.entry, "sys_")]; ok {
		return p
	}
	return protos[e.name]
}

// beyondDefaults reports whether an overlay line gives some argument a
// format other than its C type's, or a return format other than int.
// Without a prototype, every argument is the overlay's: it counts when
// one is more than a plain number or pointer.
func beyondDefaults(l *ovLine, params []param) bool {
	if l == nil {
		return false
	}
	if l.ret != "" && l.ret != "int" {
		return true
	}
	plain := map[string]bool{"hex": true, "int": true, "uint": true, "long": true, "ulong": true, "u64": true, "ptr": true}
	for i, o := range l.args {
		if o.fmt == "" || o.fmt == "-" {
			continue
		}
		if params == nil && !plain[o.fmt] {
			return true
		}
		if i < len(params) && o.fmt != defaultFormat(params[i]) {
			return true
		}
	}
	return false
}
