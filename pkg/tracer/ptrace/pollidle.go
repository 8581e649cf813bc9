package ptrace

import (
	"encoding/binary"
	"os"
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
// The request holds only while the engine is busy: it is relaxed before
// the engine blocks in wait4 (the tracees are all running or sleeping,
// and idle CPUs may sleep too) and made again at the next stop. The
// kernel drops it when the file is closed, so it cannot outlive gtrace,
// even one that is killed. The traced program is not touched: unlike
// Colocate, nothing about it changes. Without the permission to open the
// file (root's, by default), the engine runs as if it had not been asked.
type pollIdle struct {
	f     *os.File
	armed bool
}

// cpuLatencyFile is the kernel's CPU latency PM QoS interface.
const cpuLatencyFile = "/dev/cpu_dma_latency"

// relaxedLatency is the kernel's default CPU latency constraint
// (PM_QOS_CPU_LATENCY_DEFAULT_VALUE, 2000 s): no constraint at all.
const relaxedLatency = 2_000_000_000

// open starts the request, if it can, and arms it.
func (p *pollIdle) open() {
	f, err := os.OpenFile(cpuLatencyFile, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	p.f = f
	p.arm()
}

// arm asks idle CPUs to poll.
func (p *pollIdle) arm() {
	if p.f != nil && !p.armed {
		p.armed = p.set(0)
	}
}

// relax lets idle CPUs sleep.
func (p *pollIdle) relax() {
	if p.f != nil && p.armed {
		p.armed = !p.set(relaxedLatency)
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

// close ends the request.
func (p *pollIdle) close() {
	if p.f != nil {
		_ = p.f.Close()
		p.f, p.armed = nil, false
	}
}
