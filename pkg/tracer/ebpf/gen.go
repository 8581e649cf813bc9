package ebpf

// The BPF program (bpf/gtrace.c) is compiled by clang through bpf2go; the
// object and its Go bindings (gtrace_x86_bpfel.go, .o) are committed, so
// building gtrace needs no clang. They were made with Debian 12's clang
// 14 (apt-get install clang llvm); TestGenerated compiles again and
// compares where that clang is installed.
//go:generate go tool bpf2go -target amd64 -no-global-types -type rec_hdr -type rec_enter -type rec_exit -type rec_fork -type rec_exec -type rec_task_exit -type rec_signal -type capture -type sysspec -type task_val gtrace bpf/gtrace.c -- -O2 -g -Wall -Werror -Ibpf
