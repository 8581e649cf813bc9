package ptrace

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Colocation (Config.Colocate) runs the engine's thread and its tracees
// on one CPU, so that each stop and resume is a switch on that CPU
// rather than a wake-up sent to another one. The engine thread is pinned
// before it forks the spawn stub, which inherits the one-CPU affinity and
// passes it on to the program and everything it starts; attached threads
// are moved to the CPU. It changes the tracees' affinity: a started
// program keeps it (its threads share one CPU); attached processes get
// theirs back when they are detached.
type colocation struct {
	on     bool
	pinned bool
	cpu    int
	// engineMask is the engine thread's affinity before it was pinned.
	engineMask unix.CPUSet
	// saved holds the affinity of attached processes (by tgid), and of
	// the processes they create, to restore when they are detached.
	saved map[int]*unix.CPUSet
}

// pinEngine pins the calling thread, the engine's, to the CPU it runs
// on, once.
func (c *colocation) pinEngine() error {
	if !c.on || c.pinned {
		return nil
	}
	if err := unix.SchedGetaffinity(0, &c.engineMask); err != nil {
		return fmt.Errorf("colocate: %w", err)
	}
	var cpu uint32
	if _, _, errno := unix.RawSyscall(unix.SYS_GETCPU, uintptr(unsafe.Pointer(&cpu)), 0, 0); errno != 0 {
		return fmt.Errorf("colocate: getcpu: %w", errno)
	}
	c.cpu = int(cpu)
	if err := unix.SchedSetaffinity(0, c.set()); err != nil {
		return fmt.Errorf("colocate: %w", err)
	}
	c.pinned = true
	return nil
}

// unpinEngine gives the engine thread its affinity back.
func (c *colocation) unpinEngine() {
	if c.pinned {
		_ = unix.SchedSetaffinity(0, &c.engineMask)
		c.pinned = false
	}
}

// set is the one-CPU set.
func (c *colocation) set() *unix.CPUSet {
	var s unix.CPUSet
	s.Set(c.cpu)
	return &s
}

// pinAttached moves an attached thread to the engine's CPU, first
// saving its process's affinity.
func (c *colocation) pinAttached(tid, tgid int) {
	if !c.pinned {
		return
	}
	if c.saved[tgid] == nil {
		var s unix.CPUSet
		if unix.SchedGetaffinity(tid, &s) != nil {
			return
		}
		if c.saved == nil {
			c.saved = map[int]*unix.CPUSet{}
		}
		c.saved[tgid] = &s
	}
	_ = unix.SchedSetaffinity(tid, c.set())
}

// inherit gives a process created by a traced one the affinity to
// restore of its creator.
func (c *colocation) inherit(tgid, creatorTgid int) {
	if s := c.saved[creatorTgid]; s != nil && c.saved[tgid] == nil {
		c.saved[tgid] = s
	}
}

// restore gives a thread being detached its process's affinity back.
func (c *colocation) restore(tid, tgid int) {
	if s := c.saved[tgid]; s != nil {
		_ = unix.SchedSetaffinity(tid, s)
	}
}
