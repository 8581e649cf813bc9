package decode

import "github.com/gtrace/gtrace/pkg/event"

// maxArrayRead bounds the bytes read at once for an array, so a huge
// count argument never makes gtrace read megabytes.
const maxArrayRead = 64 << 10

// array decodes n elements of size bytes at addr as strace's print_array
// does: NULL, [] for none, the address alone when the first element is
// unreadable, "... /* 0xADDR */" where later ones are, and at most -s
// elements unless -v. each renders one element from its bytes.
func (x *ctx) array(addr, n uint64, size int, each func(b le) event.Value) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	v := event.Value{Kind: event.VArray}
	if n == 0 {
		return v
	}
	sz := uint64(size)
	if n > ^uint64(0)/sz || addr+n*sz < addr {
		return event.Fault(addr)
	}
	show := n
	if !x.d.Opts.Verbose && uint64(x.d.Opts.MaxArray) < n {
		show = uint64(x.d.Opts.MaxArray)
	}
	perRead := uint64(maxArrayRead) / sz
	if perRead == 0 {
		perRead = 1
	}
	for i := uint64(0); i < show; {
		chunk := min(show-i, perRead)
		at := addr + i*sz
		b := x.read(at, int(chunk*sz))
		got := uint64(len(b)) / sz
		for j := uint64(0); j < got; j++ {
			v.Elems = append(v.Elems, each(le(b[j*sz:(j+1)*sz])))
		}
		if got < chunk {
			if i+got == 0 {
				return event.Fault(addr)
			}
			more := event.Text("...")
			more.Comment = string(event.AppendHex(nil, at+got*sz))
			v.Elems = append(v.Elems, more)
			return v
		}
		i += chunk
	}
	v.Trunc = show < n
	return v
}
