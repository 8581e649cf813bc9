package decode_test

import (
	"syscall"
	"testing"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// untouchable is tracee memory that fails the test when read.
type untouchable struct{ t *testing.T }

func (u untouchable) Read(addr uint64, p []byte) (int, error) {
	u.t.Errorf("memory read at %#x with NamesOnly", addr)
	return 0, syscall.EFAULT
}

// NamesOnly decodes every syscall of both tables to its name and result
// without reading tracee memory.
func TestNamesOnlyReadsNoMemory(t *testing.T) {
	d := decode.NewDecoder(decode.Options{NamesOnly: true}, nil)
	mem := untouchable{t}
	args := [6]uint64{0x7fff0000, 0x7fff1000, 16, 0x7fff2000, 0x7fff3000, 0x7fff4000}
	for _, arch := range []event.Arch{event.ArchX86_64, event.ArchI386} {
		for _, sc := range decode.TableFor(arch).All() {
			c := event.Call{Arch: arch, Nr: sc.Nr}
			d.Entry(&c, sc, &args, mem, 1)
			d.Exit(&c, sc, -2, mem, 1)
			if c.Name != sc.Name || len(c.Args) != 0 || c.Errno != syscall.ENOENT || c.Raw != args {
				t.Errorf("%v %s: name %q, %d args, errno %v, raw %x", arch, sc.Name, c.Name, len(c.Args), c.Errno, c.Raw)
			}
		}
		if caps := d.Captures(decode.TableFor(arch).ByName("openat")); caps != nil {
			t.Errorf("%v: openat captures %v with NamesOnly", arch, caps)
		}
	}
}
