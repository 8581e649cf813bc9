package decode

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/decode/internal/stracesurvey"
	"github.com/gtrace/gtrace/pkg/event"
)

var arches = []event.Arch{event.ArchX86_64, event.ArchI386}

func TestEverySyscallHasACategory(t *testing.T) {
	for _, arch := range arches {
		rows := TableFor(arch).All()
		if len(rows) < 300 {
			t.Fatalf("%s: only %d syscalls in the table", arch, len(rows))
		}
		for _, sc := range rows {
			if sc.Cats == 0 {
				t.Errorf("%s %s (%d): no category", arch, sc.Name, sc.Nr)
			}
			if sc.Cats&^categories.All != 0 {
				t.Errorf("%s %s: unknown category bits %#x", arch, sc.Name, uint16(sc.Cats))
			}
		}
	}
}

// gtrace's network category is strace's %network class, so that
// `gtrace -c network` and `strace -e trace=%network` show the same calls.
// i386's socketcall is the one addition: strace shows its subcalls as the
// network calls they are.
func TestNetworkCategoryIsStraceNetworkClass(t *testing.T) {
	for _, arch := range arches {
		for _, sc := range TableFor(arch).All() {
			cat, class := sc.Cats.Has(categories.Network), sc.Classes.Has(categories.ClassNetwork)
			if arch == event.ArchI386 && sc.Name == "socketcall" {
				if !cat {
					t.Errorf("i386 socketcall is not in the network category")
				}
				continue
			}
			if cat != class {
				t.Errorf("%s %s: network category %v, strace %%network %v", arch, sc.Name, cat, class)
			}
		}
	}
}

// TestStraceClassesMatchStrace asks the installed strace which syscalls
// each of its classes selects and compares the answer with the tables.
// Syscalls that strace does not know are not compared: their classes are
// gtrace's (see categories.txt).
func TestStraceClassesMatchStrace(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc is not installed")
	}
	r, err := stracesurvey.Run(strace, TableFor(event.ArchX86_64).Max(), TableFor(event.ArchI386).Max(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Calls) < 700 {
		t.Fatalf("the survey found only %d syscalls", len(r.Calls))
	}
	for _, c := range r.Calls {
		arch := event.ArchX86_64
		if c.Arch == "i386" {
			arch = event.ArchI386
		}
		sc := TableFor(arch).Lookup(c.Nr)
		if sc == nil {
			continue // strace knows a number the kernel's table does not
		}
		if got, want := strings.Join(sc.Classes.List(), " "), strings.Join(c.Classes, " "); got != want {
			t.Errorf("%s %s (%d): table has classes %q, %s has %q", c.Arch, sc.Name, c.Nr, got, r.Version, want)
		}
	}
}

// TestTablesAreGenerated regenerates the tables and compares them with
// the committed ones.
func TestTablesAreGenerated(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("go", "run", "./internal/gen", "-tables", "tables", "-out", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, out)
	}
	for _, name := range []string{"zsyscalls_x86_64.go", "zsyscalls_i386.go"} {
		want, err := os.ReadFile(dir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s is not what the generator writes: run go generate ./pkg/decode", name)
		}
	}
}
