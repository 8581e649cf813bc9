package decode

import (
	"strconv"

	"github.com/gtrace/gtrace/pkg/event"
)

// String and buffer formats.
var (
	// FmtPath is a file name: printed in full, whatever -s says.
	FmtPath = &Format{Name: "path", Decode: func(x *ctx, i int) event.Value {
		return x.cstring(x.word(x.arg(i)), pathMax)
	}}
	// FmtStr is a NUL-terminated string, cut at -s bytes.
	FmtStr = &Format{Name: "str", Decode: func(x *ctx, i int) event.Value {
		return x.cstring(x.word(x.arg(i)), x.d.Opts.StrSize)
	}}
	// FmtWbuf is a buffer the call reads from; Aux is its length.
	FmtWbuf = inFmt("buf", func(x *ctx, addr uint64) event.Value { return x.buffer(addr, x.word(x.auxArg())) })
	// FmtRbuf is a buffer the call fills; the return value is its length.
	FmtRbuf = outFmt("buf", (*ctx).retBuffer)
	// FmtRstr is a buffer the call fills with a string (getcwd,
	// readlink): the return value is its length.
	FmtRstr = outFmt("str", (*ctx).retBuffer)
	// FmtCwdOut is the directory getcwd stores: a path as long as the
	// return value says, whatever -s says.
	FmtCwdOut = outFmt("path", func(x *ctx, addr uint64) event.Value { return x.cstring(addr, int(min(x.ret(), pathMax))) })
	// FmtRandomOut is getrandom's buffer: always printed in hex.
	FmtRandomOut = outFmt("buf", func(x *ctx, addr uint64) event.Value {
		v := x.retBuffer(addr)
		if v.Kind == event.VStr {
			v.Quote |= event.QuoteForceHex
		}
		return v
	})
	// FmtArgv is execve's argument vector.
	FmtArgv = &Format{Name: "argv", Decode: func(x *ctx, i int) event.Value {
		return x.stringArray(x.word(x.arg(i)))
	}}
	// FmtEnvp is execve's environment: abbreviated to a count unless -v.
	FmtEnvp = &Format{Name: "envp", Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		if x.verbose() || addr == 0 {
			return x.stringArray(addr)
		}
		return x.countedPointers(addr)
	}}
)

// cstring decodes the NUL-terminated string at addr, cut at max bytes.
func (x *ctx) cstring(addr uint64, max int) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	s, trunc, ok := x.readCString(addr, max)
	if !ok {
		return event.Fault(addr)
	}
	return event.Str(s, trunc)
}

// retBuffer decodes the buffer at addr that the call filled with as many
// bytes as it returns.
func (x *ctx) retBuffer(addr uint64) event.Value { return x.buffer(addr, uint64(x.ret())) }

// buffer decodes n bytes at addr, showing at most -s of them.
func (x *ctx) buffer(addr, n uint64) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	show := n
	if max := uint64(x.d.Opts.StrSize); show > max {
		show = max
	}
	if show == 0 {
		// Nothing to show (a read of 0 bytes, or -s 0): "" or ""...
		return event.Str(nil, n > 0)
	}
	b, ok := x.readFull(addr, int(show))
	if !ok {
		return event.Fault(addr)
	}
	return event.Str(b, n > show)
}

// maxPointerArray bounds the walk over a NULL-terminated pointer array.
const maxPointerArray = 1 << 16

// countedPointers shows the address of a NULL-terminated pointer array
// (an environment) with the count of its entries: 0x7ffe... /* 35 vars
// */, ", unterminated" when it runs into unreadable memory.
func (x *ctx) countedPointers(addr uint64) event.Value {
	v := event.Ptr(addr)
	ws := uint64(x.call.Arch.WordSize())
	n, end := 0, ""
	var words wordChunk
	for ; n < maxPointerArray; n++ {
		p, ok := x.arrayWord(&words, addr+uint64(n)*ws)
		if !ok {
			if n == 0 {
				return v
			}
			end = ", unterminated"
			break
		}
		if p == 0 {
			break
		}
	}
	v.Comment = strconv.Itoa(n) + " var"
	if n != 1 {
		v.Comment += "s"
	}
	v.Comment += end
	return v
}

// stringArray decodes a NULL-terminated array of string pointers (argv),
// showing at most -s elements unless -v; when the array runs into
// unreadable memory, strace ends it with "..." and the address in a
// comment.
func (x *ctx) stringArray(addr uint64) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	ws := uint64(x.call.Arch.WordSize())
	max := x.d.Opts.MaxArray
	v := event.Value{Kind: event.VArray}
	var words wordChunk
	for n := 0; n < maxPointerArray; n++ {
		elem := addr + uint64(n)*ws
		p, ok := x.arrayWord(&words, elem)
		if !ok {
			if n == 0 {
				return event.Fault(addr)
			}
			v.Elems = append(v.Elems, event.Value{Kind: event.VText, Text: "...", Comment: hex(elem)})
			break
		}
		if p == 0 {
			break
		}
		if n >= max && !x.verbose() {
			v.Trunc = true
			break
		}
		v.Elems = append(v.Elems, x.cstring(p, x.d.Opts.StrSize))
	}
	return v
}
