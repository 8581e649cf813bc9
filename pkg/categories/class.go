package categories

import "math/bits"

// Class is a set of strace's syscall classes, the %names of strace's
// -e trace= (its TF, TD, TN, ... flags). They differ from gtrace's
// categories: strace's %file means "takes a file name", its %desc "takes
// or returns a descriptor", and a syscall's classes are whatever strace's
// own table says. Each syscall table row carries both.
type Class uint32

// strace's classes, with the flag strace's syscallent tables use.
const (
	ClassFile       Class = 1 << iota // %file (TF)
	ClassDesc                         // %desc (TD)
	ClassNetwork                      // %network, %net (TN)
	ClassProcess                      // %process (TP)
	ClassSignal                       // %signal (TS)
	ClassIPC                          // %ipc (TI)
	ClassMemory                       // %memory (TM)
	ClassCreds                        // %creds (TC)
	ClassClock                        // %clock (TCL)
	ClassStat                         // %stat (TST)
	ClassLstat                        // %lstat (TLST)
	ClassFstat                        // %fstat (TFST)
	ClassStatLike                     // %%stat (TSTA)
	ClassStatfs                       // %statfs (TSF)
	ClassFstatfs                      // %fstatfs (TFSF)
	ClassStatfsLike                   // %%statfs (TSFA)
	ClassPure                         // %pure (PU)

	numClasses = iota
)

var classNames = [numClasses]string{
	"%file", "%desc", "%network", "%process", "%signal", "%ipc", "%memory",
	"%creds", "%clock", "%stat", "%lstat", "%fstat", "%%stat",
	"%statfs", "%fstatfs", "%%statfs", "%pure",
}

// classAliases are the other spellings strace accepts: %net, and the
// legacy names without '%'.
var classAliases = map[string]Class{
	"%net": ClassNetwork,
	"file": ClassFile, "desc": ClassDesc, "network": ClassNetwork, "process": ClassProcess,
	"signal": ClassSignal, "ipc": ClassIPC, "memory": ClassMemory,
}

// ClassNames returns the canonical class names, in strace's flag order.
func ClassNames() []string { return classNames[:] }

// LookupClass returns the class strace calls name ("%file", "%net",
// "file", ...).
func LookupClass(name string) (Class, bool) {
	for i, n := range classNames {
		if n == name {
			return 1 << i, true
		}
	}
	c, ok := classAliases[name]
	return c, ok
}

// Has reports whether c contains every class of o.
func (c Class) Has(o Class) bool { return c&o == o }

// List returns the canonical names of the classes in c.
func (c Class) List() []string {
	out := make([]string, 0, bits.OnesCount32(uint32(c)))
	for i, n := range classNames {
		if c&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}
