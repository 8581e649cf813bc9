// Command ioctldump writes the ioctl request numbers the installed kernel
// headers define, for x86_64 and i386, one per line:
//
//	TCGETS 0x5401 0x5401
//
// It scans a list of <linux/*.h> headers for macros defined with _IO,
// _IOR, _IOW, _IOWR or _IOC (and numbers in the terminal and socket
// headers), as strace's ioctl table generator does, compiles each header's
// list with gcc -m64 and -m32 and reads the values from the object files'
// data, dropping the macros a header cannot compile alone. Aliases defined
// as another macro (TIOCINQ is FIONREAD) are left out, as strace leaves
// them out. gtrace's generator turns the file into zioctls.go. Run it on
// a machine with gcc and the kernel headers:
//
//	go run ./pkg/decode/internal/ioctldump > pkg/decode/tables/ioctls.txt
package main

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// headers are those strace's table draws from that a program is likely to
// use ioctls of.
var headers = strings.Fields(`
asm-generic/ioctls.h asm-generic/sockios.h linux/sockios.h linux/soundcard.h linux/fs.h linux/random.h linux/loop.h
linux/perf_event.h linux/seccomp.h linux/nbd.h linux/userfaultfd.h linux/kd.h linux/vt.h linux/nsfs.h
linux/inotify.h linux/if_tun.h linux/rtc.h linux/cdrom.h linux/fd.h linux/fiemap.h linux/hdreg.h
linux/input.h linux/hidraw.h linux/uinput.h linux/watchdog.h linux/ppdev.h linux/serial.h
linux/kvm.h linux/vfio.h linux/vhost.h linux/btrfs.h linux/fsverity.h linux/fscrypt.h
linux/dma-buf.h linux/sync_file.h linux/gpio.h linux/i2c-dev.h linux/spi/spidev.h linux/blkzoned.h
linux/ptp_clock.h linux/tee.h linux/pidfd.h linux/dm-ioctl.h linux/auto_fs.h linux/auto_dev-ioctl.h
linux/mtio.h linux/if_pppox.h linux/ppp-ioctl.h linux/ipmi.h linux/udmabuf.h linux/eventpoll.h
linux/fuse.h linux/media.h linux/videodev2.h linux/lirc.h linux/pps.h linux/vduse.h linux/iommufd.h
linux/ublk_cmd.h linux/nilfs2_api.h linux/f2fs.h linux/ndctl.h linux/userio.h linux/android/binder.h
linux/sed-opal.h linux/cxl_mem.h linux/mmc/ioctl.h linux/joystick.h linux/rfkill.h linux/vm_sockets.h
linux/psp-sev.h linux/sev-guest.h linux/counter.h linux/gsmmux.h linux/nitro_enclaves.h
linux/phantom.h linux/vtpm_proxy.h linux/pktcdvd.h linux/suspend_ioctls.h linux/usbdevice_fs.h
linux/atmdev.h linux/capi.h linux/uvcvideo.h linux/cm4000_cs.h linux/mei.h linux/wmi.h linux/rpmsg.h
linux/remoteproc_cdev.h linux/aspeed-lpc-ctrl.h linux/kcov.h linux/hpet.h linux/nvme_ioctl.h
linux/bsg.h linux/vboxguest.h linux/sonypi.h`)

// numericHeaders define requests as plain numbers.
var numericHeaders = map[string]bool{"asm-generic/ioctls.h": true, "asm-generic/sockios.h": true, "linux/sockios.h": true}

// prelude is included before a header that needs it.
var prelude = map[string]string{"asm-generic/ioctls.h": "#include <asm/termbits.h>\n"}

var define = regexp.MustCompile(`^\s*#\s*define\s+([A-Z][A-Z0-9_]*)\s+\(?\s*(?:(_IOC|_IO|_IOR|_IOW|_IOWR|_SIO|_SIOR|_SIOW|_SIOWR|_IOR_BAD|_IOW_BAD|_IOWR_BAD)\s*\(|(0x[0-9A-Fa-f]+)\b)`)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ioctldump:", err)
		os.Exit(1)
	}
}

func run() error {
	dir, err := os.MkdirTemp("", "ioctldump")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// The 64-bit glibc headers serve -m32 too, save for a stubs file.
	if err := os.MkdirAll(filepath.Join(dir, "gnu"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "gnu", "stubs-32.h"), nil, 0o644); err != nil {
		return err
	}
	values := map[string][2]uint32{}
	for _, h := range headers {
		names, err := scan(filepath.Join("/usr/include", h), numericHeaders[h])
		if err != nil {
			continue // not installed
		}
		for i, flag := range []string{"-m64", "-m32"} {
			got := compile(dir, h, names, flag)
			for name, v := range got {
				pair := values[name]
				pair[i] = v
				values[name] = pair
			}
		}
	}
	var lines []string
	for name, pair := range values {
		if pair[0] == 0 || pair[1] == 0 {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s %#x %#x", name, pair[0], pair[1]))
	}
	sort.Strings(lines)
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, "# ioctl requests: name, x86_64 number, i386 number. Written by internal/ioctldump.")
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	return w.Flush()
}

// scan returns the request macros a header defines.
func scan(path string, numeric bool) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var names []string
	for line := range strings.SplitSeq(string(data), "\n") {
		m := define.FindStringSubmatch(line)
		if m == nil || seen[m[1]] {
			continue
		}
		if m[3] != "" {
			// Plain numbers are requests only in the numeric headers,
			// and there only above the flag values they also define
			// (TIOCSER_TEMT is 1).
			if v, _ := strconv.ParseUint(m[3], 0, 32); !numeric || v < 0x100 {
				continue
			}
		}
		seen[m[1]] = true
		names = append(names, m[1])
	}
	return names, nil
}

var errorLine = regexp.MustCompile(`^t\.c:(\d+):\d+: error`)

// compile evaluates names with gcc flag, dropping those gcc rejects.
func compile(dir, header string, names []string, flag string) map[string]uint32 {
	src := filepath.Join(dir, "t.c")
	obj := filepath.Join(dir, "t.o")
	for range 100 {
		if len(names) == 0 {
			return nil
		}
		var b bytes.Buffer
		b.WriteString("#include <sys/types.h>\n#include <linux/types.h>\n#include <linux/ioctl.h>\n")
		b.WriteString(prelude[header])
		fmt.Fprintf(&b, "#include <%s>\nconst unsigned int vals[] = {\n", header)
		first := strings.Count(b.String(), "\n") + 1
		for _, n := range names {
			b.WriteString(n + ",\n")
		}
		b.WriteString("};\n")
		if err := os.WriteFile(src, b.Bytes(), 0o644); err != nil {
			return nil
		}
		cmd := exec.Command("gcc", flag, "-I"+dir, "-I/usr/include/x86_64-linux-gnu", "-c", "-o", obj, "t.c")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err == nil {
			return readVals(obj, names)
		}
		bad := map[string]bool{}
		for line := range strings.SplitSeq(string(out), "\n") {
			if m := errorLine.FindStringSubmatch(line); m != nil {
				n, _ := strconv.Atoi(m[1])
				if i := n - first; i >= 0 && i < len(names) {
					bad[names[i]] = true
				}
			}
		}
		if len(bad) == 0 {
			return nil // the header itself does not compile
		}
		var kept []string
		for _, n := range names {
			if !bad[n] {
				kept = append(kept, n)
			}
		}
		names = kept
	}
	return nil
}

// readVals reads the array vals from an object file.
func readVals(obj string, names []string) map[string]uint32 {
	f, err := elf.Open(obj)
	if err != nil {
		return nil
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return nil
	}
	for _, s := range syms {
		if s.Name != "vals" || int(s.Section) >= len(f.Sections) {
			continue
		}
		data, err := f.Sections[s.Section].Data()
		if err != nil || int(s.Value)+4*len(names) > len(data) {
			return nil
		}
		out := map[string]uint32{}
		for i, n := range names {
			out[n] = binary.LittleEndian.Uint32(data[int(s.Value)+4*i:])
		}
		return out
	}
	return nil
}
