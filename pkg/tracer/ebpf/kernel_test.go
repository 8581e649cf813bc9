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
	got, err := readTaskOffsets(kernelBTF)
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
		for _, m := range s.Members {
			if m.Name == member {
				return m.Offset.Bytes()
			}
		}
		t.Fatalf("%s has no member %s", typ, member)
		return 0
	}
	want := taskOffsets{
		Pid:      offset("task_struct", "pid"),
		Tgid:     offset("task_struct", "tgid"),
		ExitCode: offset("task_struct", "exit_code"),
		Status:   offset("task_struct", "thread_info") + offset("thread_info", "status"),
	}
	if got != want {
		t.Errorf("offsets %+v, want %+v", got, want)
	}
}

func TestScanStructsRejectsGarbage(t *testing.T) {
	for _, raw := range [][]byte{nil, []byte("not BTF at all, not at all"), {0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}} {
		if _, err := scanStructs(raw, "task_struct"); err == nil {
			t.Errorf("scanStructs(%q) did not fail", raw)
		}
	}
}
