package event

// Arch is the syscall ABI a call was made with. A 64-bit process that runs
// `int $0x80` makes i386 calls, so Arch belongs to the call, not the process.
type Arch uint8

const (
	ArchUnknown Arch = iota
	ArchX86_64
	ArchI386
)

func (a Arch) String() string {
	switch a {
	case ArchX86_64:
		return "x86_64"
	case ArchI386:
		return "i386"
	}
	return "unknown"
}

// WordSize is the size in bytes of a long and a pointer.
func (a Arch) WordSize() int {
	if a == ArchI386 {
		return 4
	}
	return 8
}
