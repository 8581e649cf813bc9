package ebpf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// taskOffsets are where, in the running kernel's struct task_struct, the
// BPF program finds what it reads of a task: the program is loaded with
// them as constants. Reading them from the kernel's BTF here, rather than
// through cilium/ebpf's CO-RE relocation, spares gtrace parsing and
// indexing all of the kernel's types at every start (some 20 ms).
type taskOffsets struct {
	Pid, Tgid, ExitCode uint32 // task_struct.pid, .tgid, .exit_code
	Status              uint32 // task_struct.thread_info.status
}

// kernelBTF is the running kernel's BTF.
const kernelBTF = "/sys/kernel/btf/vmlinux"

// The BTF format (include/uapi/linux/btf.h): a type record is 12 bytes
// (name, info, size or type), followed by data whose size its kind says.
const (
	btfMagic      = 0xeb9f
	btfKindStruct = 4
	btfTypeSize   = 12
	btfMemberSize = 12
)

// btfTrailer is the size of what follows a type record of each kind:
// fixed, and per element (vlen).
var btfTrailer = [...]struct{ fixed, each int }{
	1:  {4, 0},  // INT
	2:  {0, 0},  // PTR
	3:  {12, 0}, // ARRAY
	4:  {0, 12}, // STRUCT
	5:  {0, 12}, // UNION
	6:  {0, 8},  // ENUM
	7:  {0, 0},  // FWD
	8:  {0, 0},  // TYPEDEF
	9:  {0, 0},  // VOLATILE
	10: {0, 0},  // CONST
	11: {0, 0},  // RESTRICT
	12: {0, 0},  // FUNC
	13: {0, 8},  // FUNC_PROTO
	14: {4, 0},  // VAR
	15: {0, 12}, // DATASEC
	16: {0, 0},  // FLOAT
	17: {4, 0},  // DECL_TAG
	18: {0, 0},  // TYPE_TAG
	19: {0, 12}, // ENUM64
}

// errNoBTF wraps what is wrong with the kernel's BTF.
var errNoBTF = errors.New("cannot read the kernel's BTF")

// readTaskOffsets finds taskOffsets in the BTF file at path.
func readTaskOffsets(path string) (taskOffsets, error) {
	raw, unmap, err := mapFile(path)
	if err != nil {
		return taskOffsets{}, fmt.Errorf("%w: %w", errNoBTF, err)
	}
	defer unmap()
	structs, err := scanStructs(raw, "task_struct", "thread_info")
	if err != nil {
		return taskOffsets{}, fmt.Errorf("%w (%s): %w", errNoBTF, path, err)
	}
	member := func(s, m string) uint32 {
		v, ok := structs[s][m]
		if !ok && err == nil {
			err = fmt.Errorf("%w (%s): no member %s.%s", errNoBTF, path, s, m)
		}
		return v
	}
	off := taskOffsets{
		Pid:      member("task_struct", "pid"),
		Tgid:     member("task_struct", "tgid"),
		ExitCode: member("task_struct", "exit_code"),
		Status:   member("task_struct", "thread_info") + member("thread_info", "status"),
	}
	return off, err
}

// mapFile maps the file at path, or reads it where it cannot be mapped
// (the kernel's BTF can be mapped since Linux 6.16; sysfs reads it out
// 4 KiB a call before).
func mapFile(path string) ([]byte, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if b, err := unix.Mmap(int(f.Fd()), 0, int(fi.Size()), unix.PROT_READ, unix.MAP_PRIVATE); err == nil {
		return b, func() { _ = unix.Munmap(b) }, nil
	}
	b, err := io.ReadAll(f)
	return b, func() {}, err
}

// scanStructs returns the byte offsets of the members of the structs
// named in names, walking the BTF type records once.
func scanStructs(raw []byte, names ...string) (map[string]map[string]uint32, error) {
	le := binary.LittleEndian
	if len(raw) < 24 || le.Uint16(raw) != btfMagic {
		return nil, errors.New("not little-endian BTF")
	}
	hdrLen := int(le.Uint32(raw[4:]))
	typeOff, typeLen := hdrLen+int(le.Uint32(raw[8:])), int(le.Uint32(raw[12:]))
	strOff, strLen := hdrLen+int(le.Uint32(raw[16:])), int(le.Uint32(raw[20:]))
	if typeOff+typeLen > len(raw) || strOff+strLen > len(raw) {
		return nil, errors.New("truncated BTF")
	}
	strs := raw[strOff : strOff+strLen]
	name := func(off uint32) []byte {
		if int(off) >= len(strs) {
			return nil
		}
		s := strs[off:]
		if i := bytes.IndexByte(s, 0); i >= 0 {
			return s[:i]
		}
		return s
	}
	found := map[string]map[string]uint32{}
	wanted := func(n []byte) string {
		for _, w := range names {
			if string(n) == w && found[w] == nil {
				return w
			}
		}
		return ""
	}
	types := raw[typeOff : typeOff+typeLen]
	for p := 0; p+btfTypeSize <= len(types); {
		info := le.Uint32(types[p+4:])
		kind, vlen, bitfield := int(info>>24&0x1f), int(info&0xffff), info>>31 == 1
		if kind == 0 || kind >= len(btfTrailer) {
			return nil, fmt.Errorf("unknown BTF kind %d", kind)
		}
		next := p + btfTypeSize + btfTrailer[kind].fixed + vlen*btfTrailer[kind].each
		if next > len(types) {
			return nil, errors.New("truncated BTF type")
		}
		members := types[p+btfTypeSize : next]
		n := ""
		if kind == btfKindStruct && vlen > 0 {
			n = wanted(name(le.Uint32(types[p:])))
		}
		if n != "" {
			fields := map[string]uint32{}
			for i := range vlen {
				m := members[i*btfMemberSize:]
				bits := le.Uint32(m[8:])
				if bitfield {
					bits &= 0xffffff
				}
				fields[string(name(le.Uint32(m)))] = bits / 8
			}
			found[n] = fields
		}
		p = next
	}
	for _, n := range names {
		if found[n] == nil {
			return nil, fmt.Errorf("no struct %s", n)
		}
	}
	return found, nil
}
