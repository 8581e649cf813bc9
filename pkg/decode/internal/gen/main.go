// Command gen writes gtrace's syscall tables, zsyscalls_<arch>.go, from
// three inputs in pkg/decode/tables, in the manner of PANDA's syscalls2
// (and zioctls.go, the ioctl request names, from ioctls.txt):
//
//   - syscall_64.tbl, syscall_32.tbl: the kernel's tables (number, ABI,
//     name, entry point);
//   - prototypes.txt: the kernel's prototypes, dumped from the running
//     kernel's tracepoints by internal/protodump (argument names and C
//     types);
//   - overlay.txt: gtrace's own knowledge, per syscall: the format of each
//     argument where the C type does not say enough and the return format;
//   - categories.txt: the categories of each syscall.
//
// Each argument gets a format from its C type and name unless the overlay
// names one. See overlay.txt for its syntax.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	tables := flag.String("tables", "tables", "directory with the .tbl, prototypes and overlay files")
	out := flag.String("out", ".", "directory to write zsyscalls_*.go to")
	flag.Parse()
	if err := run(*tables, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// arch describes one generated table.
type arch struct {
	name   string // overlay prefix and file suffix
	goName string // Go identifier suffix
	tbl    string
	abis   []string
}

var arches = []arch{
	{"x86_64", "X86_64", "syscall_64.tbl", []string{"common", "64"}},
	{"i386", "I386", "syscall_32.tbl", []string{"i386"}},
}

func run(tablesDir, outDir string) error {
	protos, err := readPrototypes(filepath.Join(tablesDir, "prototypes.txt"))
	if err != nil {
		return err
	}
	ov, err := readOverlay(filepath.Join(tablesDir, "overlay.txt"))
	if err != nil {
		return err
	}
	cats, err := readCategories(filepath.Join(tablesDir, "categories.txt"))
	if err != nil {
		return err
	}
	if err := writeIoctls(filepath.Join(tablesDir, "ioctls.txt"), filepath.Join(outDir, "zioctls.go")); err != nil {
		return err
	}
	for _, a := range arches {
		entries, err := readTable(filepath.Join(tablesDir, a.tbl), a.abis)
		if err != nil {
			return err
		}
		src, err := generate(a, entries, protos, ov, cats)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(outDir, "zsyscalls_"+a.name+".go"), src, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// entry is one line of a .tbl file.
type entry struct {
	nr       int
	name     string
	entry    string // entry point, "" for unimplemented numbers
	noreturn bool
}

func readTable(path string, abis []string) ([]entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []entry
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) < 3 {
			return nil, fmt.Errorf("%s:%d: short line", path, line)
		}
		nr, err := strconv.Atoi(fields[0])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		if !contains(abis, fields[1]) {
			continue
		}
		e := entry{nr: nr, name: fields[2]}
		if len(fields) > 3 && fields[3] != "-" {
			e.entry = fields[3]
		}
		e.noreturn = fields[len(fields)-1] == "noreturn"
		out = append(out, e)
	}
	return out, sc.Err()
}

// param is one argument of a kernel prototype.
type param struct{ ctype, name string }

func readPrototypes(path string) (map[string][]param, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string][]param{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		name, rest, ok := strings.Cut(text, "(")
		if !ok || !strings.HasSuffix(rest, ")") {
			return nil, fmt.Errorf("%s: bad prototype %q", path, text)
		}
		var params []param
		if rest = strings.TrimSuffix(rest, ")"); rest != "" {
			for decl := range strings.SplitSeq(rest, ", ") {
				i := strings.LastIndexAny(decl, " *")
				params = append(params, param{ctype: strings.TrimSpace(decl[:i+1]), name: decl[i+1:]})
			}
		}
		out[name] = params
	}
	return out, sc.Err()
}

// ovArg is one argument of an overlay line.
type ovArg struct {
	name string // "" to keep the kernel's
	fmt  string // "" or "-" for the default
	aux  string // name of the argument it depends on
}

// ovLine is one overlay line.
type ovLine struct {
	args    []ovArg
	hasArgs bool
	ret     string
	where   string
}

type overlay map[string]*ovLine // key: "arch:name" or "name"

// named reports whether every argument of the line has a name.
func (l *ovLine) named() bool {
	for _, a := range l.args {
		if a.name == "" {
			return false
		}
	}
	return true
}

// readOverlay parses overlay.txt. A line is
//
//	[arch:]name(arg, arg, ...) [ret]
//
// where arg is "fmt", "fmt:aux", "-" (default) or "name=fmt[:aux]".
func readOverlay(path string) (overlay, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ov := overlay{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		where := fmt.Sprintf("%s:%d", path, n)
		open, close := strings.Index(text, "("), strings.Index(text, ")")
		if open < 0 || close < open {
			return nil, fmt.Errorf("%s: want name(args) ...", where)
		}
		key := strings.TrimSpace(text[:open])
		l := &ovLine{hasArgs: true, where: where}
		if inner := strings.TrimSpace(text[open+1 : close]); inner != "" {
			for a := range strings.SplitSeq(inner, ",") {
				a = strings.TrimSpace(a)
				var arg ovArg
				if name, f, ok := strings.Cut(a, "="); ok {
					arg.name, a = name, f
				}
				arg.fmt, arg.aux, _ = strings.Cut(a, ":")
				l.args = append(l.args, arg)
			}
		}
		switch rest := strings.Fields(text[close+1:]); {
		case len(rest) == 1:
			l.ret = rest[0]
		case len(rest) > 1:
			return nil, fmt.Errorf("%s: after the arguments, want a return format, not %q", where, strings.Join(rest, " "))
		}
		if _, dup := ov[key]; dup {
			return nil, fmt.Errorf("%s: %s listed twice", where, key)
		}
		ov[key] = l
	}
	return ov, sc.Err()
}

// retFormat maps an overlay return format name to its Go identifier:
// int is the default (nil), poll is FmtRetPoll.
func retFormat(name string) string {
	if name == "int" {
		return "nil"
	}
	return "FmtRet" + strings.TrimPrefix(formatIdent(name), "Fmt")
}

// catTable maps "arch:name" or "name" to categories.
type catTable map[string][]string

func (c catTable) lookup(a arch, name string) []string {
	if l, ok := c[a.name+":"+name]; ok {
		return l
	}
	return c[name]
}

// readCategories parses categories.txt: "[arch:]name category...".
func readCategories(path string) (catTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c := catTable{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		if len(fields) < 2 {
			return nil, fmt.Errorf("%s:%d: %s has no category", path, n, fields[0])
		}
		if _, dup := c[fields[0]]; dup {
			return nil, fmt.Errorf("%s:%d: %s listed twice", path, n, fields[0])
		}
		c[fields[0]] = fields[1:]
	}
	return c, sc.Err()
}

var categoryIdents = map[string]string{
	"file": "File", "desc": "Desc", "network": "Network", "ipc": "IPC", "process": "Process",
	"signal": "Signal", "memory": "Memory", "sync": "Sync", "time": "Time", "ident": "Ident",
	"device": "Device", "system": "System",
}

// lookup returns the overlay line for name in arch a: an arch-specific line
// wins over a common one.
func (ov overlay) lookup(a arch, name string) *ovLine {
	if l := ov[a.name+":"+name]; l != nil {
		return l
	}
	return ov[name]
}

func generate(a arch, entries []entry, protos map[string][]param, ov overlay, cats catTable) ([]byte, error) {
	var buf bytes.Buffer
	max := 0
	for _, e := range entries {
		if e.nr >= max {
			max = e.nr + 1
		}
	}
	fmt.Fprintf(&buf, "// Code generated by pkg/decode/internal/gen from tables/%s, tables/prototypes.txt and tables/overlay.txt; DO NOT EDIT.\n\n", a.tbl)
	fmt.Fprintf(&buf, "package decode\n\nimport \"github.com/gtrace/gtrace/pkg/categories\"\n\n")
	fmt.Fprintf(&buf, "var syscalls%s = [%d]Syscall{\n", a.goName, max)
	var problems []string
	for _, e := range entries {
		row, err := buildRow(a, e, protos, ov, cats)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		buf.WriteString(row)
	}
	buf.WriteString("}\n")
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("%s:\n\t%s", a.name, strings.Join(problems, "\n\t"))
	}
	return format.Source(buf.Bytes())
}

func buildRow(a arch, e entry, protos map[string][]param, ov overlay, catTab catTable) (string, error) {
	l := ov.lookup(a, e.name)
	params, known := protos[strings.TrimPrefix(e.entry, "sys_")]
	if !known {
		params, known = protos[e.name]
	}
	if e.entry == "" || e.entry == "sys_ni_syscall" {
		params, known = nil, true
	}
	// An arch's own line that names every argument is the whole
	// prototype: i386 passes 64-bit values in two registers, so its
	// pread64 has five arguments where the kernel's prototype has four.
	if l != nil && known && l.named() && ov[a.name+":"+e.name] == l {
		known = false
	}
	var args []ovArg
	switch {
	case l != nil && known && len(l.args) != len(params):
		return "", fmt.Errorf("%s (%s): overlay has %d arguments, the kernel %d", e.name, l.where, len(l.args), len(params))
	case l == nil && !known:
		return "", fmt.Errorf("%s: no kernel prototype; give its arguments in the overlay", e.name)
	case known:
		for i, p := range params {
			arg := ovArg{name: p.name, fmt: defaultFormat(p)}
			if l != nil {
				if o := l.args[i]; o.fmt != "" && o.fmt != "-" {
					arg.fmt, arg.aux = o.fmt, o.aux
				}
				if o := l.args[i]; o.name != "" {
					arg.name = o.name
				}
			}
			args = append(args, arg)
		}
	default:
		for _, o := range l.args {
			if o.name == "" {
				return "", fmt.Errorf("%s (%s): no kernel prototype, so every argument needs name=format", e.name, l.where)
			}
			args = append(args, o)
		}
	}
	var specs []string
	for _, arg := range args {
		aux := "-1"
		if arg.aux != "" {
			idx := -1
			for j, other := range args {
				if other.name == arg.aux {
					idx = j
				}
			}
			if idx < 0 {
				return "", fmt.Errorf("%s: argument %s refers to unknown argument %q", e.name, arg.name, arg.aux)
			}
			aux = strconv.Itoa(idx)
		}
		specs = append(specs, fmt.Sprintf("{%q, %s, %s}", arg.name, formatIdent(arg.fmt), aux))
	}
	ret := "nil"
	if l != nil && l.ret != "" {
		ret = retFormat(l.ret)
	}
	cats := catTab.lookup(a, e.name)
	if len(cats) == 0 {
		cats = []string{"system"}
	}
	var catIdents []string
	for _, c := range cats {
		id, ok := categoryIdents[c]
		if !ok {
			return "", fmt.Errorf("%s: unknown category %q", e.name, c)
		}
		catIdents = append(catIdents, "categories."+id)
	}
	var flags []string
	if e.noreturn {
		flags = append(flags, "NoReturn")
	}
	switch e.name {
	case "execve", "execveat":
		flags = append(flags, "Exec")
	case "fork", "vfork", "clone", "clone3":
		flags = append(flags, "Spawn")
	}
	flagExpr := "0"
	if len(flags) > 0 {
		flagExpr = strings.Join(flags, "|")
	}
	argExpr := "nil"
	if len(specs) > 0 {
		argExpr = "[]ArgSpec{" + strings.Join(specs, ", ") + "}"
	}
	return fmt.Sprintf("\t%d: {Nr: %d, Name: %q, Args: %s, Ret: %s, Cats: %s, Flags: %s},\n",
		e.nr, e.nr, e.name, argExpr, ret, strings.Join(catIdents, "|"), flagExpr), nil
}

// formatIdent turns an overlay format name into its Go identifier:
// open_flags -> FmtOpenFlags.
func formatIdent(name string) string {
	var b strings.Builder
	b.WriteString("Fmt")
	for part := range strings.SplitSeq(name, "_") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

var (
	fdNames   = []string{"fd", "oldfd", "newfd", "fd_in", "fd_out", "out_fd", "in_fd", "epfd", "ufd", "pidfd", "fdin", "fdout"}
	dirfdName = []string{"dfd", "olddfd", "newdfd", "dirfd", "from_dfd", "to_dfd"}
	pathNames = []string{"filename", "pathname", "path", "oldname", "newname", "specialfile", "library", "dir_name", "dev_name", "new_root", "put_old"}
)

// defaultFormat picks an argument's format from its C type and name.
func defaultFormat(p param) string {
	t := p.ctype
	switch {
	case contains(dirfdName, p.name) && !strings.Contains(t, "*"):
		return "atfd"
	case contains(fdNames, p.name) && !strings.Contains(t, "*"):
		return "fd"
	case strings.HasPrefix(t, "const char *") && contains(pathNames, p.name):
		return "path"
	case strings.HasPrefix(t, "const char *") && !strings.Contains(t, "* const") && !strings.Contains(t, "*const"):
		return "str"
	case strings.Contains(t, "*") || strings.HasSuffix(t, "_user_header_t") || strings.HasSuffix(t, "_user_data_t"):
		return "ptr"
	}
	switch t {
	case "int", "pid_t", "key_serial_t", "timer_t", "clockid_t", "mqd_t", "rwf_t", "qid_t":
		return "int"
	case "unsigned int", "u32", "__u32", "unsigned":
		return "uint"
	case "long", "ssize_t", "off_t", "loff_t", "__kernel_old_time_t":
		return "long"
	case "unsigned long", "size_t", "aio_context_t":
		return "ulong"
	case "u64", "__u64", "unsigned long long":
		return "u64"
	case "umode_t":
		return "mode"
	case "uid_t", "gid_t", "old_uid_t", "old_gid_t":
		return "uid"
	}
	return "hex"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// writeIoctls turns ioctls.txt ("NAME x86_64-number i386-number" lines,
// written by internal/ioctldump) into one table; the decoder sorts it per
// arch.
func writeIoctls(in, out string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "// Code generated by pkg/decode/internal/gen from tables/ioctls.txt; DO NOT EDIT.\n\npackage decode\n\n")
	buf.WriteString("// ioctlRequests are the ioctl requests the kernel headers name, with\n// their x86_64 and i386 numbers.\nvar ioctlRequests = []ioctlRequestDef{\n")
	for n, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if len(f) != 3 {
			return fmt.Errorf("%s:%d: want NAME NUMBER NUMBER", in, n+1)
		}
		a, err1 := strconv.ParseUint(f[1], 0, 32)
		b, err2 := strconv.ParseUint(f[2], 0, 32)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("%s:%d: bad number", in, n+1)
		}
		fmt.Fprintf(&buf, "\t{%q, %#x, %#x},\n", f[0], a, b)
	}
	buf.WriteString("}\n")
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}
