package tracer_test

import (
	"context"
	"encoding/binary"
	"os"
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

// TestPollIdle: with PollIdle, idle CPUs are held to polling while the
// engine handles stops, let go while it waits for a sleeping program,
// and after the trace; without it, never.
func TestPollIdle(t *testing.T) {
	base, err := cpuLatency()
	switch {
	case err != nil:
		t.Skipf("no CPU latency interface to observe: %v", err)
	case base == 0:
		t.Skip("another process already holds idle CPUs to polling")
	}
	for _, poll := range []bool{true, false} {
		cmd := tracer.Command("sh", "-c", "cat /etc/hostname >/dev/null; sleep 1")
		tr, err := tracer.Start(context.Background(), cmd, tracer.Options{Engine: tracer.EnginePtrace, Follow: true, PollIdle: poll})
		if err != nil {
			t.Fatal(err)
		}
		var busy []int32
		sleeping, waiting := make(chan struct{}), make(chan int32, 1)
		var once sync.Once
		go func() {
			<-sleeping
			time.Sleep(300 * time.Millisecond)
			v, _ := cpuLatency()
			waiting <- v
		}()
		err = tr.Run(tracer.Hooks{OnEvent: func(ev *event.Event) tracer.Action {
			if ev.Kind == event.KindSyscallEntry {
				v, _ := cpuLatency()
				busy = append(busy, v)
				if ev.Call.Name == "clock_nanosleep" {
					once.Do(func() { close(sleeping) })
				}
			}
			return tracer.Continue
		}})
		if err != nil {
			t.Fatal(err)
		}
		after, _ := cpuLatency()
		want := base
		if poll {
			want = 0
		}
		for i, v := range busy {
			if v != want {
				t.Errorf("poll=%v: at stop %d of %d the latency was %d µs, want %d", poll, i, len(busy), v, want)
				break
			}
		}
		select {
		case v := <-waiting:
			if v != base {
				t.Errorf("poll=%v: while the program slept the latency was %d µs, want %d", poll, v, base)
			}
		default:
			t.Errorf("poll=%v: the program's sleep was not seen", poll)
		}
		if after != base {
			t.Errorf("poll=%v: after the trace the latency was %d µs, want %d", poll, after, base)
		}
	}
}
