package tracer

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// attachTree attaches to the processes pids and all their descendants.
// Processes may fork while it walks: it walks again until a walk finds
// none it has not attached to (an engine following forks catches those
// created after that).
func attachTree(eng engine, pids []int) error {
	done := map[int]bool{}
	for round := 0; round < 100; round++ {
		added := 0
		for _, root := range pids {
			for _, pid := range subtree(root) {
				if done[pid] {
					continue
				}
				if err := eng.attach(pid); err != nil {
					if pid == root {
						return err
					}
					continue // a descendant that ended meanwhile
				}
				done[pid] = true
				added++
			}
		}
		if added == 0 {
			break
		}
	}
	return nil
}

// subtree lists pid and its descendants, parents before children, from
// /proc/PID/task/TID/children.
func subtree(pid int) []int {
	out := []int{pid}
	seen := map[int]bool{pid: true}
	for i := 0; i < len(out); i++ {
		files, _ := filepath.Glob("/proc/" + strconv.Itoa(out[i]) + "/task/*/children")
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			for _, s := range strings.Fields(string(b)) {
				if c, err := strconv.Atoi(s); err == nil && !seen[c] {
					seen[c] = true
					out = append(out, c)
				}
			}
		}
	}
	return out
}
