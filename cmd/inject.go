package cmd

import (
	"fmt"

	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/filter"
	"github.com/gtrace/gtrace/pkg/resource/restrace"
	"github.com/gtrace/gtrace/pkg/tamper"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// addInject adds one -e inject= value (fault false) or -e fault= value,
// read as strace reads it.
func (s *selection) addInject(value string, fault bool) error {
	r, err := tamper.Parse(value, fault, parseSyscallSet)
	if err != nil {
		return usageError{err}
	}
	for _, w := range r.Warnings() {
		fmt.Fprintf(s.warn, "gtrace: %s\n", w)
	}
	s.inject = append(s.inject, r)
	return nil
}

// parseSyscallSet reads an inject rule's syscall set as -e trace= does.
func parseSyscallSet(set string) (func(arch event.Arch, nr int) bool, error) {
	sc, err := filter.ParseTrace(set)
	if err != nil {
		return nil, err
	}
	return sc.Has, nil
}

// tamperer returns what applies opts' -e inject= and -e fault= rules to
// the calls traced, or nil when there are none.
func tamperer(s *selection) *tamper.Tamperer {
	if len(s.inject) == 0 {
		return nil
	}
	var traced func(event.Arch, int) bool
	if set := s.syscalls(); set != nil {
		traced = set.Has
	}
	return tamper.New(s.inject, traced)
}

// syscallHooks returns the hooks a run needs, either may be nil: the
// tamperer first, so that the resource feed sees what the program saw.
func syscallHooks(tam *tamper.Tamperer, feed *restrace.Feed) []tracer.Hook {
	var hooks []tracer.Hook
	if tam != nil {
		hooks = append(hooks, tam.Hook())
	}
	if feed != nil {
		hooks = append(hooks, feed.Hook())
	}
	return hooks
}
