package ebpf

import (
	"os"
	"testing"

	"github.com/cilium/ebpf/btf"
)

// TestTaskOffsets checks the offsets gtrace reads from the kernel's BTF
// against cilium/ebpf's BTF package.
func TestTaskOffsets(t *testing.T) {
	if _, err := os.Stat(kernelBTF); err != nil {
		t.Skipf("the kernel has no BTF: %v", err)
	}
	got, err := readKernelOffsets(kernelBTF)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := btf.LoadKernelSpec()
	if err != nil {
		t.Fatal(err)
	}
	offset := func(typ, member string) uint32 {
		var s *btf.Struct
		if err := spec.TypeByName(typ, &s); err != nil {
			t.Fatal(err)
		}
		if off, ok := memberOffset(s.Members, member); ok {
			return off
		}
		t.Fatalf("%s has no member %s", typ, member)
		return 0
	}
	want := kernelOffsets{
		Pid:           offset("task_struct", "pid"),
		Tgid:          offset("task_struct", "tgid"),
		ExitCode:      offset("task_struct", "exit_code"),
		Status:        offset("task_struct", "thread_info") + offset("thread_info", "status"),
		Signal:        offset("task_struct", "signal"),
		Mm:            offset("task_struct", "mm"),
		GroupExecTask: offset("signal_struct", "group_exec_task"),
		ArgStart:      offset("mm_struct", "arg_start"),
		ArgEnd:        offset("mm_struct", "arg_end"),
		EnvStart:      offset("mm_struct", "env_start"),
		EnvEnd:        offset("mm_struct", "env_end"),
		Filename:      offset("linux_binprm", "filename"),
	}
	if got != want {
		t.Errorf("offsets %+v, want %+v", got, want)
	}
}

// memberOffset finds a member in members or in their anonymous structs
// and unions, as cilium/ebpf's btf package lists them.
func memberOffset(members []btf.Member, name string) (uint32, bool) {
	for _, m := range members {
		if m.Name == name {
			return m.Offset.Bytes(), true
		}
		if m.Name != "" {
			continue
		}
		var inner []btf.Member
		switch c := m.Type.(type) {
		case *btf.Struct:
			inner = c.Members
		case *btf.Union:
			inner = c.Members
		}
		if off, ok := memberOffset(inner, name); ok {
			return m.Offset.Bytes() + off, true
		}
	}
	return 0, false
}

func TestParseBTFRejectsGarbage(t *testing.T) {
	for _, raw := range [][]byte{nil, []byte("not BTF at all, not at all"), {0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}} {
		if _, err := parseBTF(raw); err == nil {
			t.Errorf("parseBTF(%q) did not fail", raw)
		}
	}
}
