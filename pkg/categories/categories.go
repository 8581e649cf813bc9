// Package categories names the families of syscalls gtrace can select:
// file, desc, network, ipc, process, signal, memory, sync, time, ident,
// device and system. A Set is a bitmask stored in each syscall table row.
package categories

import (
	"math/bits"
	"strings"
)

// Set is a set of categories.
type Set uint16

// The categories, after the seed documents' resource families.
const (
	File    Set = 1 << iota // takes a path: open, stat, unlink, ...
	Desc                    // takes or returns a file descriptor: read, close, ...
	Network                 // sockets
	IPC                     // System V / POSIX IPC, pipes' kin
	Process                 // process and thread lifecycle
	Signal                  // signal handling
	Memory                  // address space
	Sync                    // futexes and other synchronisation
	Time                    // clocks, timers, sleeping
	Ident                   // credentials: uid, gid, capabilities
	Device                  // ioctl and device control
	System                  // everything else: system-wide state

	numCategories = iota
)

// All is the set of every category.
const All Set = 1<<numCategories - 1

var names = [numCategories]string{
	"file", "desc", "network", "ipc", "process", "signal",
	"memory", "sync", "time", "ident", "device", "system",
}

// aliases maps alternative spellings to categories.
var aliases = map[string]Set{"net": Network, "creds": Ident, "clock": Time}

// Names returns every category name in canonical order.
func Names() []string { return names[:] }

// Lookup returns the category with the given name or alias.
func Lookup(name string) (Set, bool) {
	for i, n := range names {
		if n == name {
			return 1 << i, true
		}
	}
	s, ok := aliases[name]
	return s, ok
}

// Has reports whether s contains every category of o.
func (s Set) Has(o Set) bool { return s&o == o }

// Intersects reports whether s and o share a category.
func (s Set) Intersects(o Set) bool { return s&o != 0 }

// List returns the names of the categories in s.
func (s Set) List() []string {
	out := make([]string, 0, bits.OnesCount16(uint16(s)))
	for i, n := range names {
		if s&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

func (s Set) String() string { return strings.Join(s.List(), ",") }
