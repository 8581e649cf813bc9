package decode

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/pkg/event"
)

// TestTablesAgainstXSys checks every syscall name and number against the
// golang.org/x/sys/unix tables, an independent transcription of the
// kernel's. x/sys may know syscalls newer than our kernel tables; those
// are ignored, but every syscall we have must be there with our number.
func TestTablesAgainstXSys(t *testing.T) {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/sys").Output()
	if err != nil || len(bytes.TrimSpace(dir)) == 0 {
		t.Skip("golang.org/x/sys source not available:", err)
	}
	re := regexp.MustCompile(`(?m)^\s*SYS_([A-Z0-9_]+)\s*=\s*(\d+)`)
	for _, tc := range []struct {
		arch event.Arch
		file string
		min  int
	}{
		{event.ArchX86_64, "zsysnum_linux_amd64.go", 370},
		{event.ArchI386, "zsysnum_linux_386.go", 440},
	} {
		src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "unix", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		xsys := map[string]int{}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			n, _ := strconv.Atoi(m[2])
			xsys[strings.ToLower(m[1])] = n
		}
		all := TableFor(tc.arch).All()
		if len(all) < tc.min {
			t.Errorf("%v: only %d syscalls in the table, want at least %d", tc.arch, len(all), tc.min)
		}
		for _, sc := range all {
			n, ok := xsys[sc.Name]
			if !ok {
				t.Errorf("%v: %s (%d) is not in x/sys", tc.arch, sc.Name, sc.Nr)
				continue
			}
			if n != sc.Nr {
				t.Errorf("%v: %s is %d here, %d in x/sys", tc.arch, sc.Name, sc.Nr, n)
			}
		}
	}
}
