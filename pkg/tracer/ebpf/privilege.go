package ebpf

import (
	"errors"
	"strings"

	"golang.org/x/sys/unix"
)

// ErrPrivilege is wrapped by the error New returns when the process may
// not load and attach BPF tracing programs.
var ErrPrivilege = errors.New("missing privileges")

// PrivilegeError says which capabilities are missing.
type PrivilegeError struct {
	Missing []string // "CAP_BPF", "CAP_PERFMON"
}

func (e *PrivilegeError) Error() string {
	return "the eBPF engine needs root or CAP_BPF and CAP_PERFMON; missing " + strings.Join(e.Missing, " and ")
}

func (e *PrivilegeError) Unwrap() error { return ErrPrivilege }

// Capability numbers (include/uapi/linux/capability.h).
const (
	capSysAdmin = 21
	capPerfmon  = 38 // since Linux 5.8
	capBPF      = 39 // since Linux 5.8
)

// CheckPrivileges reports whether the process's effective capabilities
// allow the eBPF engine: CAP_SYS_ADMIN, or both CAP_BPF and CAP_PERFMON.
func CheckPrivileges() error {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return err
	}
	eff := uint64(data[0].Effective) | uint64(data[1].Effective)<<32
	has := func(c uint) bool { return eff&(1<<c) != 0 }
	if has(capSysAdmin) {
		return nil
	}
	var missing []string
	if !has(capBPF) {
		missing = append(missing, "CAP_BPF")
	}
	if !has(capPerfmon) {
		missing = append(missing, "CAP_PERFMON")
	}
	if len(missing) == 0 {
		return nil
	}
	return &PrivilegeError{Missing: missing}
}
