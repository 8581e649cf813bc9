package tracer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/internal/privtest"
	"github.com/gtrace/gtrace/pkg/tracer/ebpf"
)

func TestMain(m *testing.M) {
	privtest.Main(m, map[string]func() int{
		// The unprivileged side of TestAutoFallsBack: which engine auto
		// picks when it would try eBPF first.
		"auto-engine": func() int {
			eng, err := newEngine(&Tracer{}, Options{Engine: EngineAuto}, true)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			fmt.Print(eng.kind())
			return 0
		},
	})
}

func TestParseEngine(t *testing.T) {
	for in, want := range map[string]Engine{"auto": EngineAuto, "ptrace": EnginePtrace, "ebpf": EngineEBPF} {
		if got, err := ParseEngine(in); err != nil || got != want || got.String() != in {
			t.Errorf("ParseEngine(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseEngine("bpf"); err == nil {
		t.Error("ParseEngine(bpf) did not fail")
	}
}

func TestCheckEngine(t *testing.T) {
	for _, tc := range []struct {
		eng    Engine
		tamper bool
		want   error
	}{
		{EngineEBPF, true, ErrObservesOnly},
		{EngineEBPF, false, nil},
		{EnginePtrace, true, nil},
		{EngineAuto, true, nil},
	} {
		if err := CheckEngine(tc.eng, tc.tamper); !errors.Is(err, tc.want) {
			t.Errorf("CheckEngine(%v, %v) = %v, want %v", tc.eng, tc.tamper, err, tc.want)
		}
	}
}

// TestAutoEngine: auto means ptrace until the eBPF engine matches it.
func TestAutoEngine(t *testing.T) {
	tr, err := Start(context.Background(), Command("true"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := EnginePtrace
	if ebpfMatchesPtrace && ebpf.CheckPrivileges() == nil {
		want = EngineEBPF
	}
	if got := tr.Engine(); got != want {
		t.Errorf("auto chose %v, want %v", got, want)
	}
	if err := tr.Run(Hooks{}); err != nil {
		t.Fatal(err)
	}
}

// TestAutoFallsBack: were auto to try eBPF first, it would use it where
// it loads and fall back to ptrace silently where it does not.
func TestAutoFallsBack(t *testing.T) {
	if ebpf.CheckPrivileges() == nil {
		eng, err := newEngine(&Tracer{}, Options{Engine: EngineAuto}, true)
		if err != nil || eng.kind() != EngineEBPF {
			t.Errorf("privileged auto: %v, %v; want the eBPF engine", eng, err)
		}
		if b, ok := eng.(*ebpfEngine); ok {
			b.Close()
		}
	}
	stdout, stderr, code := privtest.Run(t, privtest.NoPerfmon, "auto-engine")
	if code != 0 || strings.TrimSpace(stdout) != "ptrace" || stderr != "" {
		t.Errorf("auto without CAP_PERFMON: exit %d, stdout %q, stderr %q; want ptrace, silently", code, stdout, stderr)
	}
}
