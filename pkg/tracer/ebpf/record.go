package ebpf

import (
	"encoding/binary"
	"errors"
	"unsafe"
)

// Record types (enum rec_type in bpf/gtrace.c).
const (
	recEnter    = 1
	recExit     = 2
	recFork     = 3
	recExec     = 4
	recTaskExit = 5
	recSignal   = 6
)

// Layout of the records, from the Go types bpf2go generates from the C
// structs, so that the two cannot drift apart.
var (
	hdrSize     = int(unsafe.Sizeof(gtraceRecHdr{}))
	enterSize   = int(unsafe.Sizeof(gtraceRecEnter{}))
	exitSize    = int(unsafe.Sizeof(gtraceRecExit{}))
	forkSize    = int(unsafe.Sizeof(gtraceRecFork{}))
	execSize    = int(unsafe.Sizeof(gtraceRecExec{}))
	taskExit    = int(unsafe.Sizeof(gtraceRecTaskExit{}))
	signalSize  = int(unsafe.Sizeof(gtraceRecSignal{}))
	captureSize = int(unsafe.Sizeof(gtraceCapture{}))

	offEnterNr      = int(unsafe.Offsetof(gtraceRecEnter{}.Nr))
	offEnterFlags   = int(unsafe.Offsetof(gtraceRecEnter{}.Flags))
	offEnterArgs    = int(unsafe.Offsetof(gtraceRecEnter{}.Args))
	offExitNr       = int(unsafe.Offsetof(gtraceRecExit{}.Nr))
	offExitRet      = int(unsafe.Offsetof(gtraceRecExit{}.Ret))
	offSigHow       = int(unsafe.Offsetof(gtraceRecSignal{}.How))
	offSigFlags     = int(unsafe.Offsetof(gtraceRecSignal{}.Flags))
	offSigSenderPID = int(unsafe.Offsetof(gtraceRecSignal{}.SenderPid))
	offSigSenderUID = int(unsafe.Offsetof(gtraceRecSignal{}.SenderUid))
	offSigInfo      = int(unsafe.Offsetof(gtraceRecSignal{}.Info))

	offExecOld      = int(unsafe.Offsetof(gtraceRecExec{}.OldTid))
	offExecArgLen   = int(unsafe.Offsetof(gtraceRecExec{}.ArgLen))
	offExecEnvLen   = int(unsafe.Offsetof(gtraceRecExec{}.EnvLen))
	offExitCode     = int(unsafe.Offsetof(gtraceRecTaskExit{}.Code))
	offSupersededBy = int(unsafe.Offsetof(gtraceRecTaskExit{}.SupersededBy))
)

// enterRetry is rec_enter.flags' ENTER_RETRY.
const enterRetry = 1

// errBadRecord reports a record shorter than its type or its captures
// say: it is dropped, never decoded.
var errBadRecord = errors.New("malformed record")

// header is a record's common part (struct rec_hdr).
type header struct {
	typ  uint8
	arch uint8
	ncap int
	lost uint32
	tid  int
	pid  int
	ts   uint64
}

func parseHeader(b []byte) (header, error) {
	if len(b) < hdrSize {
		return header{}, errBadRecord
	}
	return header{
		typ:  b[0],
		arch: b[1],
		ncap: int(binary.LittleEndian.Uint16(b[2:])),
		lost: binary.LittleEndian.Uint32(b[4:]),
		tid:  int(binary.LittleEndian.Uint32(b[8:])),
		pid:  int(binary.LittleEndian.Uint32(b[12:])),
		ts:   binary.LittleEndian.Uint64(b[16:]),
	}, nil
}

// minSize is the fixed size of each record type.
func minSize(typ uint8) int {
	switch typ {
	case recEnter:
		return enterSize
	case recExit:
		return exitSize
	case recFork:
		return forkSize
	case recExec:
		return execSize
	case recTaskExit:
		return taskExit
	case recSignal:
		return signalSize
	}
	return -1
}

func u16(b []byte, off int) uint16 { return binary.LittleEndian.Uint16(b[off:]) }
func u32(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
func u64(b []byte, off int) uint64 { return binary.LittleEndian.Uint64(b[off:]) }

// region is one copy of tracee memory a record carries (struct capture).
type region struct {
	addr uint64
	data []byte
	arg  int // the argument it belongs to
}

// parseCaptures reads the n captures that follow a record's fixed part
// at off, appending them to rs. The data slices alias b.
func parseCaptures(rs []region, b []byte, off, n int) ([]region, error) {
	for range n {
		if off+captureSize > len(b) {
			return rs, errBadRecord
		}
		addr := u64(b, off)
		size := int(u32(b, off+8))
		start := off + captureSize
		if size < 0 || start+size > len(b) {
			return rs, errBadRecord
		}
		rs = append(rs, region{addr: addr, data: b[start : start+size], arg: int(b[off+12])})
		off = start + (size+7)&^7
	}
	return rs, nil
}
