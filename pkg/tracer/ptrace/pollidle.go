package ptrace

import (
	"encoding/binary"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Keeping idle CPUs awake (Config.PollIdle). Most of a ptrace round trip
// on a machine whose idle CPUs halt is waking them: the tracee stops and
// its CPU halts; resuming it sends an interrupt to wake that CPU, which
// in a VM is an exit to the hypervisor and a wait for the host to
// schedule the vCPU again. strace pays this at every stop. A CPU latency
// request of 0 µs through the kernel's PM QoS interface
// (/dev/cpu_dma_latency) makes cpuidle poll instead of halting, and a
// wake-up is then a store the idle CPU sees at once.
//
// The request holds only while the engine is busy with stops. It is
// relaxed before the engine blocks in wait4 (the tracees are all running
// or sleeping, and idle CPUs may sleep too), and by a watchdog when no
// stop has come for idleAfter although the engine did not block there:
// it may be writing the trace to a pipe nobody reads (a pager), or be in
// a slow hook. The next stop makes it again. The kernel drops it when the
// file is closed, so it cannot outlive gtrace, even one that is killed.
// The traced program is not touched: unlike Colocate, nothing about it
// changes. Without the permission to open the file (root's, by default),
// the engine runs as if it had not been asked.
type pollIdle struct {
	mu    sync.Mutex // the file and its writes
	f     *os.File
	armed atomic.Bool
	// stops is the engine's count of stops, which the watchdog watches;
	// kick wakes it when the request is made; done ends it.
	stops *atomic.Uint64
	kick  chan struct{}
	done  chan struct{}
}

// cpuLatencyFile is the kernel's CPU latency PM QoS interface.
const cpuLatencyFile = "/dev/cpu_dma_latency"

// relaxedLatency is the kernel's default CPU latency constraint
// (PM_QOS_CPU_LATENCY_DEFAULT_VALUE, 2000 s): no constraint at all.
const relaxedLatency = 2_000_000_000

// idleAfter is how long the engine may go without a stop, outside
// wait4, before the watchdog relaxes the request.
const idleAfter = 20 * time.Millisecond

// open starts the request, if it can, and its watchdog, which watches
// stops, the engine's count.
func (p *pollIdle) open(stops *atomic.Uint64) {
	f, err := os.OpenFile(cpuLatencyFile, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	p.f, p.stops = f, stops
	p.kick, p.done = make(chan struct{}, 1), make(chan struct{})
	go p.watch()
	p.arm()
}

// busy notes a stop: the request is made again if it was relaxed.
func (p *pollIdle) busy() {
	if p.f != nil && !p.armed.Load() {
		p.arm()
	}
}

// arm asks idle CPUs to poll.
func (p *pollIdle) arm() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.f != nil && !p.armed.Load() && p.set(0) {
		p.armed.Store(true)
		select {
		case p.kick <- struct{}{}:
		default:
		}
	}
}

// relax lets idle CPUs sleep.
func (p *pollIdle) relax() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.f != nil && p.armed.Load() && p.set(relaxedLatency) {
		p.armed.Store(false)
	}
}

// set writes the request's latency in µs, as the binary s32 the file
// takes.
func (p *pollIdle) set(us int32) bool {
	var b [4]byte
	binary.NativeEndian.PutUint32(b[:], uint32(us))
	_, err := p.f.Write(b[:])
	return err == nil
}

// watch relaxes the request when no stop came for idleAfter. It sleeps
// while the request is relaxed.
func (p *pollIdle) watch() {
	tick := time.NewTicker(idleAfter)
	defer tick.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-p.kick:
		}
		tick.Reset(idleAfter)
		for last := p.stops.Load(); p.armed.Load(); {
			select {
			case <-p.done:
				return
			case <-tick.C:
			}
			if now := p.stops.Load(); now != last {
				last = now
				continue
			}
			p.relax()
		}
	}
}

// close ends the request and its watchdog.
func (p *pollIdle) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.f != nil {
		close(p.done)
		_ = p.f.Close()
		p.f = nil
		p.armed.Store(false)
	}
}
