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

// kernelOffsets are where, in the running kernel's structures, the BPF
// program finds what it reads: the program is loaded with them as
// constants. Reading them from the kernel's BTF here, rather than through
// cilium/ebpf's CO-RE relocation, spares gtrace parsing and indexing all
// of the kernel's types at every start (some 20 ms).
type kernelOffsets struct {
	Pid, Tgid, ExitCode uint32 // task_struct.pid, .tgid, .exit_code
	Status              uint32 // task_struct.thread_info.status
	Signal, Mm          uint32 // task_struct.signal, .mm
	GroupExecTask       uint32 // signal_struct.group_exec_task
	ArgStart, ArgEnd    uint32 // mm_struct.arg_start, .arg_end
	EnvStart, EnvEnd    uint32 // mm_struct.env_start, .env_end
	Filename            uint32 // linux_binprm.filename
}

// kernelBTF is the running kernel's BTF.
const kernelBTF = "/sys/kernel/btf/vmlinux"

// errNoBTF wraps what is wrong with the kernel's BTF.
var errNoBTF = errors.New("cannot read the kernel's BTF")

// readKernelOffsets finds kernelOffsets in the BTF file at path.
func readKernelOffsets(path string) (kernelOffsets, error) {
	raw, unmap, err := mapFile(path)
	if err != nil {
		return kernelOffsets{}, fmt.Errorf("%w: %w", errNoBTF, err)
	}
	defer unmap()
	b, err := parseBTF(raw)
	if err != nil {
		return kernelOffsets{}, fmt.Errorf("%w (%s): %w", errNoBTF, path, err)
	}
	var missing error
	off := func(typ string, members ...string) uint32 {
		v, err := b.offset(typ, members...)
		if err != nil && missing == nil {
			missing = fmt.Errorf("%w (%s): %w", errNoBTF, path, err)
		}
		return v
	}
	o := kernelOffsets{
		Pid:           off("task_struct", "pid"),
		Tgid:          off("task_struct", "tgid"),
		ExitCode:      off("task_struct", "exit_code"),
		Status:        off("task_struct", "thread_info", "status"),
		Signal:        off("task_struct", "signal"),
		Mm:            off("task_struct", "mm"),
		GroupExecTask: off("signal_struct", "group_exec_task"),
		ArgStart:      off("mm_struct", "arg_start"),
		ArgEnd:        off("mm_struct", "arg_end"),
		EnvStart:      off("mm_struct", "env_start"),
		EnvEnd:        off("mm_struct", "env_end"),
		Filename:      off("linux_binprm", "filename"),
	}
	return o, missing
}

// mapFile maps the file at path, or reads it where it cannot be mapped
// (the kernel's BTF can be mapped since Linux 6.16; sysfs hands it out
// 4 KiB a read before).
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

// The BTF format (include/uapi/linux/btf.h): a type record is 12 bytes
// (name, info, size or type), followed by data whose size its kind says.
const (
	btfMagic      = 0xeb9f
	btfKindStruct = 4
	btfKindUnion  = 5
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

// btfTypes is a walked BTF blob: where each type's record starts.
type btfTypes struct {
	types, strs []byte
	at          []int // at[id]: the type's record in types; id 0 is void
}

var le = binary.LittleEndian

// parseBTF walks the type records of raw once.
func parseBTF(raw []byte) (*btfTypes, error) {
	if len(raw) < 24 || le.Uint16(raw) != btfMagic {
		return nil, errors.New("not little-endian BTF")
	}
	hdrLen := int(le.Uint32(raw[4:]))
	typeOff, typeLen := hdrLen+int(le.Uint32(raw[8:])), int(le.Uint32(raw[12:]))
	strOff, strLen := hdrLen+int(le.Uint32(raw[16:])), int(le.Uint32(raw[20:]))
	if typeOff+typeLen > len(raw) || strOff+strLen > len(raw) {
		return nil, errors.New("truncated BTF")
	}
	b := &btfTypes{types: raw[typeOff : typeOff+typeLen], strs: raw[strOff : strOff+strLen], at: []int{-1}}
	for p := 0; p+btfTypeSize <= len(b.types); {
		kind, vlen, _ := b.info(p)
		if kind == 0 || kind >= len(btfTrailer) {
			return nil, fmt.Errorf("unknown BTF kind %d", kind)
		}
		next := p + btfTypeSize + btfTrailer[kind].fixed + vlen*btfTrailer[kind].each
		if next > len(b.types) {
			return nil, errors.New("truncated BTF type")
		}
		b.at = append(b.at, p)
		p = next
	}
	return b, nil
}

func (b *btfTypes) info(p int) (kind, vlen int, bitfield bool) {
	info := le.Uint32(b.types[p+4:])
	return int(info >> 24 & 0x1f), int(info & 0xffff), info>>31 == 1
}

func (b *btfTypes) name(off uint32) []byte {
	if int(off) >= len(b.strs) {
		return nil
	}
	s := b.strs[off:]
	if i := bytes.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// offset returns the byte offset of the member path (members of members)
// in the struct named typ. Members of anonymous structs and unions count
// as members of the struct that holds them, as in C.
func (b *btfTypes) offset(typ string, path ...string) (uint32, error) {
	id := b.structNamed(typ)
	if id == 0 {
		return 0, fmt.Errorf("no struct %s", typ)
	}
	total := uint32(0)
	for _, m := range path {
		off, mid, ok := b.member(id, m)
		if !ok {
			return 0, fmt.Errorf("no member %s in %s", m, typ)
		}
		total += off
		id = mid
	}
	return total, nil
}

// structNamed is the id of the struct called name, 0 if none.
func (b *btfTypes) structNamed(name string) int {
	for id := 1; id < len(b.at); id++ {
		p := b.at[id]
		if kind, vlen, _ := b.info(p); kind == btfKindStruct && vlen > 0 && string(b.name(le.Uint32(b.types[p:]))) == name {
			return id
		}
	}
	return 0
}

// member finds the member name of struct or union id, looking into
// anonymous members, and returns its byte offset and type id.
func (b *btfTypes) member(id int, name string) (uint32, int, bool) {
	p := b.at[id]
	kind, vlen, bitfield := b.info(p)
	if kind != btfKindStruct && kind != btfKindUnion {
		return 0, 0, false
	}
	for i := range vlen {
		m := b.types[p+btfTypeSize+i*btfMemberSize:]
		bits, mid := le.Uint32(m[8:]), int(le.Uint32(m[4:]))
		if bitfield {
			bits &= 0xffffff
		}
		if mid >= len(b.at) {
			continue
		}
		switch n := b.name(le.Uint32(m)); {
		case string(n) == name:
			return bits / 8, mid, true
		case len(n) == 0:
			if off, t, ok := b.member(mid, name); ok {
				return bits/8 + off, t, true
			}
		}
	}
	return 0, 0, false
}
