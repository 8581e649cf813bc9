package tracer_test

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// cpuLatency reads the latency, in µs, the kernel now holds idle CPUs to
// (the strictest request of all processes): 0 makes them poll.
func cpuLatency() (int32, error) {
	b, err := os.ReadFile("/dev/cpu_dma_latency")
	if err != nil {
		return 0, err
	}
	return int32(binary.NativeEndian.Uint32(b)), nil
}

// othersHold reports whether a process other than this one has the
// CPU latency file open: its request, which may be 0, then shows in
// the value read as well (gtrace's own tests run in parallel).
func othersHold() bool {
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	self := "/proc/" + strconv.Itoa(os.Getpid()) + "/"
	for _, fd := range fds {
		if !strings.HasPrefix(fd, self) {
			if l, err := os.Readlink(fd); err == nil && l == "/dev/cpu_dma_latency" {
				return true
			}
		}
	}
	return false
}

// sample reads the latency and whether it is this process's alone to
// say: no other process held the file before or after the read.
func sample() (int32, bool) {
	before := othersHold()
	v, _ := cpuLatency()
	return v, !before && !othersHold()
}

// TestPollIdle: with PollIdle, idle CPUs are held to polling while the
// engine handles stops, let go while it waits for a sleeping program or
// sits in a slow hook (as in a write to a pager), and after the trace;
// without it, never. A value read while another
// process holds a request of its own says nothing of this one's and is
// not checked, but the request of 0 µs while busy always shows.
func TestPollIdle(t *testing.T) {
	base, err := cpuLatency()
	switch {
	case err != nil:
		t.Skipf("no CPU latency interface to observe: %v", err)
	case base == 0:
		t.Skip("another process holds idle CPUs to polling: the request cannot be told from its")
	}
	for _, poll := range []bool{true, false} {
		cmd := tracer.Command("sh", "-c", "cat /etc/hostname >/dev/null; sleep 1")
		tr, err := tracer.Start(context.Background(), cmd, tracer.Options{Engine: tracer.EnginePtrace, Follow: true, PollIdle: poll})
		if err != nil {
			t.Fatal(err)
		}
		type reading struct {
			v    int32
			ours bool
		}
		var busy []reading
		sleeping, waiting := make(chan struct{}), make(chan reading, 1)
		var once, slowOnce sync.Once
		var inSlowHook reading
		ended := make(chan struct{})
		go func() {
			select {
			case <-sleeping:
			case <-ended:
				return
			}
			time.Sleep(300 * time.Millisecond)
			v, ours := sample()
			waiting <- reading{v, ours}
		}()
		err = tr.Run(tracer.Hooks{OnEvent: func(ev *event.Event) tracer.Action {
			if ev.Kind == event.KindSyscallEntry {
				if len(busy) < 10 {
					// A read takes milliseconds: ten will do.
					v, ours := sample()
					busy = append(busy, reading{v, ours})
				}
				if ev.Call.Name == "clock_nanosleep" {
					once.Do(func() { close(sleeping) })
				}
				if ev.Call.Name == "read" {
					// A hook that takes 300 ms: read the latency
					// in the middle of it.
					slowOnce.Do(func() {
						done := make(chan reading)
						go func() {
							time.Sleep(150 * time.Millisecond)
							v, ours := sample()
							done <- reading{v, ours}
						}()
						time.Sleep(300 * time.Millisecond)
						inSlowHook = <-done
					})
				}
			}
			return tracer.Continue
		}})
		close(ended)
		if err != nil {
			t.Fatal(err)
		}
		want := base
		if poll {
			want = 0
		}
		for i, r := range busy {
			if r.v != want && (poll || r.ours) {
				t.Errorf("poll=%v: at stop %d of %d the latency was %d µs, want %d", poll, i, len(busy), r.v, want)
				break
			}
		}
		if inSlowHook.v != base && inSlowHook.ours {
			t.Errorf("poll=%v: in a hook of 300 ms the latency was %d µs, want %d", poll, inSlowHook.v, base)
		}
		select {
		case r := <-waiting:
			if r.v != base && r.ours {
				t.Errorf("poll=%v: while the program slept the latency was %d µs, want %d", poll, r.v, base)
			}
		default:
			t.Errorf("poll=%v: the program's sleep was not seen", poll)
		}
		if held, _ := filepath.Glob("/proc/self/fd/*"); slices.ContainsFunc(held, func(fd string) bool {
			l, _ := os.Readlink(fd)
			return l == "/dev/cpu_dma_latency"
		}) {
			t.Errorf("poll=%v: the latency request is still open after the trace", poll)
		}
	}
}
