package categories

import (
	"slices"
	"testing"
)

func TestLookup(t *testing.T) {
	for name, want := range map[string]Set{"file": File, "net": Network, "network": Network, "creds": Ident, "clock": Time, "system": System} {
		if got, ok := Lookup(name); !ok || got != want {
			t.Errorf("Lookup(%q) = %v, %v; want %v", name, got, ok, want)
		}
	}
	if _, ok := Lookup("%file"); ok {
		t.Errorf("Lookup(%q) found a category; that is a strace class", "%file")
	}
}

func TestLookupClass(t *testing.T) {
	for name, want := range map[string]Class{
		"%file": ClassFile, "file": ClassFile, "%net": ClassNetwork, "%network": ClassNetwork,
		"network": ClassNetwork, "%%stat": ClassStatLike, "%%statfs": ClassStatfsLike, "%pure": ClassPure,
		"%creds": ClassCreds, "%clock": ClassClock,
	} {
		if got, ok := LookupClass(name); !ok || got != want {
			t.Errorf("LookupClass(%q) = %v, %v; want %v", name, got, ok, want)
		}
	}
	for _, name := range []string{"%NET", "net", "creds", "%foo", "all"} {
		if _, ok := LookupClass(name); ok {
			t.Errorf("LookupClass(%q) found a class; strace has none by that name", name)
		}
	}
	if got := (ClassFile | ClassStat | ClassStatLike).List(); !slices.Equal(got, []string{"%file", "%stat", "%%stat"}) {
		t.Errorf("List = %v", got)
	}
}
