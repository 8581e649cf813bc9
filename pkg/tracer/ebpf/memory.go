package ebpf

import "errors"

// captured is a decode.Memory over the copies of tracee memory a record
// carries: the eBPF program copied, at the syscall's entry or exit, the
// bytes the decode table says each argument needs. Memory it did not
// copy, because it was unreadable or not asked for, reads as a fault,
// which the decoders print as ptrace's unreadable memory.
type captured struct {
	regions []region
}

var errNotCaptured = errors.New("memory not captured")

// Read implements decode.Memory: it serves the longest copy that holds
// addr.
func (m *captured) Read(addr uint64, p []byte) (int, error) {
	var best []byte
	for _, r := range m.regions {
		if addr >= r.addr && addr-r.addr < uint64(len(r.data)) {
			if d := r.data[addr-r.addr:]; len(d) > len(best) {
				best = d
			}
		}
	}
	if best == nil {
		return 0, errNotCaptured
	}
	return copy(p, best), nil
}

func (m *captured) reset() { m.regions = m.regions[:0] }
