package cmd

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newGenerateCmd is the hidden `gtrace generate [DIR]`: it writes the
// shell completions (completions/) and the man pages (man/) from the
// command tree, so they never drift from the flags. Its output has no
// dates in it: running it twice gives the same bytes, and a test fails
// when the committed files differ from what it generates.
func newGenerateCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "generate [DIR]",
		Short:  "Write the shell completions and man pages into DIR (default .)",
		Hidden: true,
		Args:   cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			files, err := generatedFiles(c.Root())
			if err != nil {
				return err
			}
			for name, data := range files {
				path := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(path, data, 0o644); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// generatedFiles returns every generated file by its path relative to
// the repository root.
func generatedFiles(root *cobra.Command) (map[string][]byte, error) {
	root.InitDefaultCompletionCmd()
	files := map[string][]byte{}
	shells := []struct {
		name string
		gen  func(*bytes.Buffer) error
	}{
		{"completions/gtrace.bash", func(b *bytes.Buffer) error { return root.GenBashCompletionV2(b, true) }},
		{"completions/gtrace.zsh", func(b *bytes.Buffer) error { return root.GenZshCompletion(b) }},
		{"completions/gtrace.fish", func(b *bytes.Buffer) error { return root.GenFishCompletion(b, true) }},
		{"completions/gtrace.ps1", func(b *bytes.Buffer) error { return root.GenPowerShellCompletionWithDesc(b) }},
	}
	for _, s := range shells {
		var b bytes.Buffer
		if err := s.gen(&b); err != nil {
			return nil, fmt.Errorf("generate %s: %w", s.name, err)
		}
		files[s.name] = b.Bytes()
	}
	if err := manPages(root, files); err != nil {
		return nil, err
	}
	return files, nil
}

// thDate matches the date cobra puts in a man page's .TH line.
var thDate = regexp.MustCompile(`(?m)^(\.TH "[^"]*" "[^"]*") "[^"]*"`)

// manPages adds a man page for every visible command: man/gtrace.1,
// man/gtrace-completion.1, ...
func manPages(c *cobra.Command, files map[string][]byte) error {
	if !c.IsAvailableCommand() && c.HasParent() {
		return nil
	}
	c.DisableAutoGenTag = true // no "Auto generated ... on <date>"
	var b bytes.Buffer
	zero := time.Time{}
	header := &doc.GenManHeader{Section: "1", Date: &zero, Source: "gtrace", Manual: "gtrace manual"}
	if err := doc.GenMan(c, header, &b); err != nil {
		return fmt.Errorf("man page for %s: %w", c.CommandPath(), err)
	}
	name := "man/" + strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
	files[name] = thDate.ReplaceAll(b.Bytes(), []byte(`$1 ""`))
	for _, sub := range c.Commands() {
		if err := manPages(sub, files); err != nil {
			return err
		}
	}
	return nil
}
