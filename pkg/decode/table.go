// Package decode turns raw syscall registers and tracee memory into
// event.Values that print exactly as strace prints them.
//
// The syscall tables (zsyscalls_*.go) are generated from the kernel's own
// syscall tables and prototypes joined with overlay.txt, which names the
// format of each argument; see doc comments in internal/gen. Decoding is
// driven by the table row: each argument's Format knows how to read and
// render it.
package decode

//go:generate go run ./internal/gen -tables tables -out .

import (
	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/event"
)

// Syscall is one row of a syscall table: everything needed to decode and
// classify one syscall of one architecture.
type Syscall struct {
	Nr   int
	Name string
	Args []ArgSpec
	Ret  *Format
	Cats categories.Set
	// Classes are strace's classes of the syscall (-e trace=%file ...).
	Classes categories.Class
	Flags   SyscallFlags

	custom *custom
}

// ArgSpec describes one argument.
type ArgSpec struct {
	Name string // the kernel's name for the argument
	Fmt  *Format
	// Aux is the index of another argument this one depends on (a
	// buffer's length, say), or -1.
	Aux int8
}

// SyscallFlags mark syscalls the engine treats specially.
type SyscallFlags uint8

const (
	// NoReturn: a successful call does not return (exit, exit_group).
	NoReturn SyscallFlags = 1 << iota
	// Exec replaces the program image (execve, execveat).
	Exec
	// Spawn creates a task (fork, vfork, clone, clone3).
	Spawn
)

// Custom reports whether the syscall's arguments are decoded by code of
// its own rather than by a Format per argument.
func (s *Syscall) Custom() bool { return s.custom != nil }

// Table is the syscall table of one architecture.
type Table struct {
	Arch   event.Arch
	rows   []Syscall // indexed by number; rows with an empty Name are unused
	byName map[string]*Syscall
}

func newTable(arch event.Arch, rows []Syscall) *Table {
	t := &Table{Arch: arch, rows: rows, byName: make(map[string]*Syscall, len(rows))}
	for i := range t.rows {
		if r := &t.rows[i]; r.Name != "" {
			t.byName[r.Name] = r
		}
	}
	return t
}

// Lookup returns the row for syscall number nr, or nil when the table has
// no such syscall.
func (t *Table) Lookup(nr int) *Syscall {
	if nr < 0 || nr >= len(t.rows) || t.rows[nr].Name == "" {
		return nil
	}
	return &t.rows[nr]
}

// ByName returns the row for the named syscall, or nil.
func (t *Table) ByName(name string) *Syscall { return t.byName[name] }

// All returns every syscall of the table in number order.
func (t *Table) All() []*Syscall {
	out := make([]*Syscall, 0, len(t.byName))
	for i := range t.rows {
		if t.rows[i].Name != "" {
			out = append(out, &t.rows[i])
		}
	}
	return out
}

// Max is one more than the highest syscall number in the table.
func (t *Table) Max() int { return len(t.rows) }

// Lookup returns the row for syscall nr of arch, or, for a number the
// table does not have, a row that prints it as strace prints one
// (Unknown): what an engine decodes every call with.
func Lookup(arch event.Arch, nr int) *Syscall {
	if tbl := TableFor(arch); tbl != nil {
		if sc := tbl.Lookup(nr); sc != nil {
			return sc
		}
	}
	return Unknown(arch, nr)
}

// TableFor returns the syscall table of arch, or nil.
func TableFor(arch event.Arch) *Table {
	switch arch {
	case event.ArchX86_64:
		return tableX86_64
	case event.ArchI386:
		return tableI386
	}
	return nil
}

var (
	tableX86_64 = newTable(event.ArchX86_64, syscallsX86_64[:])
	tableI386   = newTable(event.ArchI386, syscallsI386[:])
)

// Custom decoders are attached once the tables exist, as some of them
// (socketcall's) look rows up.
func init() {
	for _, t := range []*Table{tableX86_64, tableI386} {
		for _, r := range t.byName {
			r.custom = customs[t.Arch.String()+":"+r.Name]
			if r.custom == nil {
				r.custom = customs[r.Name]
			}
		}
	}
}
