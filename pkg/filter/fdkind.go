package filter

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/decode"
)

// FDKind is what a descriptor is open on, from its /proc/PID/fd link.
type FDKind uint8

// The kinds --fd-kind knows.
const (
	KindNone     FDKind = iota // not open
	KindFile                   // a path outside /dev
	KindDevice                 // a path under /dev
	KindSocket                 // socket:[inode]
	KindPipe                   // pipe:[inode] (FIFOs are files)
	KindEventfd                // anon_inode:[eventfd]
	KindEpoll                  // anon_inode:[eventpoll]
	KindTimerfd                // anon_inode:[timerfd]
	KindSignalfd               // anon_inode:[signalfd]
	KindInotify                // anon_inode:inotify
	KindPidfd                  // anon_inode:[pidfd]
	KindAnon                   // any other anon_inode
	KindOther                  // anything else (namespaces, ...)
	numKinds
)

var kindNames = [numKinds]string{
	"none", "file", "device", "socket", "pipe", "eventfd", "epoll", "timerfd",
	"signalfd", "inotify", "pidfd", "anon", "other",
}

func (k FDKind) String() string { return kindNames[k] }

// FDKindNames returns the kinds --fd-kind takes, in order.
func FDKindNames() []string { return slices.Clone(kindNames[KindFile:]) }

var anonKinds = map[string]FDKind{
	"[eventfd]": KindEventfd, "[eventpoll]": KindEpoll, "[timerfd]": KindTimerfd,
	"[signalfd]": KindSignalfd, "inotify": KindInotify, "[pidfd]": KindPidfd,
}

// KindOf classifies a /proc/PID/fd link target.
func KindOf(target string) FDKind {
	switch {
	case target == "":
		return KindNone
	case strings.HasPrefix(target, "socket:["):
		return KindSocket
	case strings.HasPrefix(target, "pipe:["):
		return KindPipe
	case strings.HasPrefix(target, "anon_inode:"):
		if k, ok := anonKinds[strings.TrimPrefix(target, "anon_inode:")]; ok {
			return k
		}
		return KindAnon
	case strings.HasPrefix(target, "/dev/"):
		return KindDevice
	case strings.HasPrefix(target, "/"):
		return KindFile
	}
	return KindOther
}

// FDKinds is a set of descriptor kinds.
type FDKinds struct{ set [numKinds]bool }

// Has reports whether k is in the set.
func (s *FDKinds) Has(k FDKind) bool { return s == nil || s.set[k] }

// ParseFDKinds reads --fd-kind: a comma-separated list of kinds (file,
// device, socket, pipe, eventfd, epoll, timerfd, signalfd, inotify,
// pidfd, anon, other).
func ParseFDKinds(list string) (*FDKinds, error) {
	s := &FDKinds{}
	n := 0
	for word := range strings.SplitSeq(list, ",") {
		word = strings.TrimSpace(word)
		if word == "" {
			continue
		}
		found := false
		for k := KindFile; k < numKinds; k++ {
			if kindNames[k] == word {
				s.set[k], found = true, true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown descriptor kind %q (known: %s)", word, strings.Join(kindNames[KindFile:], ", "))
		}
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("no descriptor kind given")
	}
	return s, nil
}

// genericIO are the calls --fd-kind filters: those whose first argument
// is a descriptor of any kind (read, write, close, fcntl, ioctl, fstat,
// lseek, dup, ...), as opposed to calls that only take one kind (the
// network calls take sockets).
var genericIO = matching(func(sc *decode.Syscall) bool {
	return len(sc.Args) > 0 && sc.Args[0].Fmt == decode.FmtFd &&
		sc.Cats.Has(categories.Desc) && !sc.Cats.Has(categories.Network)
}, Arches)

// GenericIO returns the calls --fd-kind applies to; a selection given
// with --fd-kind includes them.
func GenericIO() *Syscalls { return NoSyscalls().Union(genericIO) }
