package ptrace

import (
	"golang.org/x/sys/unix"
)

const pageSize = 4096

// maxIovecs bounds one process_vm_readv: the kernel's UIO_MAXIOV.
const maxIovecs = 1024

// taskMemory reads a task's memory with process_vm_readv, one syscall per
// read. The remote range is split at page boundaries so that an unmapped
// page cuts the read short instead of failing it whole (the kernel stops
// at the first remote iovec it cannot read).
type taskMemory struct {
	tid    int
	local  [1]unix.Iovec
	remote [16]unix.RemoteIovec
}

// Read implements decode.Memory.
func (m *taskMemory) Read(addr uint64, p []byte) (int, error) {
	total := 0
	for total < len(p) {
		want, got, err := m.readSome(addr+uint64(total), p[total:])
		total += got
		if err != nil || got < want {
			if total > 0 {
				return total, nil
			}
			if err == nil {
				err = unix.EFAULT
			}
			return 0, err
		}
	}
	return total, nil
}

// readSome issues one process_vm_readv covering up to len(m.remote) pages
// of p; it returns how many bytes it asked for and how many it got.
func (m *taskMemory) readSome(addr uint64, p []byte) (want, got int, err error) {
	n := 0
	for want < len(p) && n < len(m.remote) {
		a := addr + uint64(want)
		chunk := min(pageSize-int(a%pageSize), len(p)-want)
		m.remote[n] = unix.RemoteIovec{Base: uintptr(a), Len: chunk}
		want += chunk
		n++
	}
	m.local[0].Base = &p[0]
	m.local[0].SetLen(want)
	got, err = unix.ProcessVMReadv(m.tid, m.local[:], m.remote[:n], 0)
	return want, got, err
}

// Write writes p at addr in the task's memory.
func (m *taskMemory) Write(addr uint64, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	local := []unix.Iovec{{Base: &p[0]}}
	local[0].SetLen(len(p))
	remote := []unix.RemoteIovec{{Base: uintptr(addr), Len: len(p)}}
	return unix.ProcessVMWritev(m.tid, local, remote, 0)
}
