// Package sigaction reads and sets a signal's action with rt_sigaction(2)
// itself, below the Go runtime: os/signal can neither add a flag such as
// SA_NOCLDSTOP to the runtime's own handler nor give a signal back the
// kernel's default action.
package sigaction

import (
	"syscall"
	"unsafe"
)

// Action is the kernel's struct sigaction on architectures with
// sa_restorer, amd64 and arm64 among them. The zero Action is SIG_DFL.
type Action struct {
	Handler  uintptr
	Flags    uint64
	Restorer uintptr
	Mask     uint64
}

// NoCldStop is SA_NOCLDSTOP: no SIGCHLD when a child stops.
const NoCldStop = 0x1

// Get returns sig's action.
func Get(sig syscall.Signal) (Action, bool) {
	var a Action
	return a, call(sig, nil, &a)
}

// Set sets sig's action.
func Set(sig syscall.Signal, a *Action) bool { return call(sig, a, nil) }

// call is rt_sigaction(2): it sets act unless nil and stores the action
// sig had in old unless nil.
func call(sig syscall.Signal, act, old *Action) bool {
	_, _, errno := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig),
		uintptr(unsafe.Pointer(act)), uintptr(unsafe.Pointer(old)), unsafe.Sizeof(Action{}.Mask), 0, 0)
	return errno == 0
}
