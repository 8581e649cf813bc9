package format

import (
	"fmt"
	"strings"

	"github.com/fatih/color"

	"github.com/gtrace/gtrace/pkg/event"
)

// ColorMode is --color: whether output is coloured.
type ColorMode uint8

const (
	// ColorAuto colours output whose destination is a terminal, unless
	// the environment says otherwise (NO_COLOR, CLICOLOR_FORCE).
	ColorAuto ColorMode = iota
	ColorAlways
	ColorNever
)

// ColorModes are --color's values, in the order help lists them.
var ColorModes = []string{"auto", "always", "never"}

// ParseColorMode reads a --color value.
func ParseColorMode(s string) (ColorMode, error) {
	for i, name := range ColorModes {
		if s == name {
			return ColorMode(i), nil
		}
	}
	return 0, fmt.Errorf("unknown colour mode %q (want %s)", s, strings.Join(ColorModes, ", "))
}

// UseColor decides whether one output stream is coloured. tty says whether
// that stream's own destination is a terminal; getenv reads the
// environment. An explicit always or never wins; in auto mode NO_COLOR
// (set and not empty) turns colour off, CLICOLOR_FORCE (set and not "0")
// turns it on for any destination, and otherwise a terminal gets colour
// unless TERM is "dumb" or CLICOLOR is "0".
func UseColor(mode ColorMode, tty bool, getenv func(string) string) bool {
	switch mode {
	case ColorAlways:
		return true
	case ColorNever:
		return false
	}
	if getenv("NO_COLOR") != "" {
		return false
	}
	if f := getenv("CLICOLOR_FORCE"); f != "" && f != "0" {
		return true
	}
	return tty && getenv("TERM") != "dumb" && getenv("CLICOLOR") != "0"
}

// Palette colours the tokens of a trace: it is the event.Painter the
// formatters put in their Style. The escape sequences are computed once,
// so painting a token only appends two short strings.
type Palette struct {
	start, end [event.NumTokens]string
}

// defaultColors is gtrace's palette: the syscall name stands out, data
// from the tracee (strings) is green, descriptors cyan, failures red.
var defaultColors = [event.NumTokens][]color.Attribute{
	event.TokName:    {color.Bold},
	event.TokNumber:  {color.FgBlue},
	event.TokString:  {color.FgGreen},
	event.TokFD:      {color.FgCyan},
	event.TokConst:   {color.FgYellow},
	event.TokPointer: {color.FgMagenta},
	event.TokComment: {color.Faint},
	event.TokError:   {color.FgRed, color.Bold},
	event.TokSignal:  {color.FgMagenta, color.Bold},
	event.TokPID:     {color.FgCyan, color.Faint},
	event.TokExit:    {color.FgBlue, color.Bold},
	event.TokTime:    {color.Faint},
}

// NewPalette returns gtrace's default palette.
func NewPalette() *Palette {
	p := &Palette{}
	for tok, attrs := range defaultColors {
		if len(attrs) == 0 {
			continue
		}
		c := color.New(attrs...)
		// The package-wide color.NoColor only looks at stdout; whether
		// this destination is coloured was decided by UseColor.
		c.EnableColor()
		p.start[tok], p.end[tok], _ = strings.Cut(c.Sprint("|"), "|")
	}
	return p
}

// Start implements event.Painter.
func (p *Palette) Start(b []byte, t event.Token) []byte { return append(b, p.start[t]...) }

// End implements event.Painter.
func (p *Palette) End(b []byte, t event.Token) []byte { return append(b, p.end[t]...) }

// paint appends s as token t, coloured when p is set. A nil *Palette
// paints nothing, so formatters call it unconditionally.
func (p *Palette) paint(b []byte, t event.Token, s string) []byte {
	if p == nil {
		return append(b, s...)
	}
	b = append(b, p.start[t]...)
	b = append(b, s...)
	return append(b, p.end[t]...)
}

// open and close bracket a token built in place; no-ops for a nil *Palette.
func (p *Palette) open(b []byte, t event.Token) []byte {
	if p == nil {
		return b
	}
	return append(b, p.start[t]...)
}

func (p *Palette) close(b []byte, t event.Token) []byte {
	if p == nil {
		return b
	}
	return append(b, p.end[t]...)
}

// visibleColumn is column0 for coloured text: the escape sequences the
// palette adds (ESC [ ... m) take no room on the screen, so the " = "
// column stays where strace puts it.
func visibleColumn(col int, b []byte) int {
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\n':
			col = 0
		case c == 0x1b && i+1 < len(b) && b[i+1] == '[':
			for i += 2; i < len(b) && b[i] != 'm'; i++ {
			}
		default:
			col++
		}
	}
	return col
}
