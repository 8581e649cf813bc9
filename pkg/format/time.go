package format

import (
	"strconv"
	"time"

	"github.com/gtrace/gtrace/pkg/event"
)

// TimeOptions are strace's timing flags.
type TimeOptions struct {
	// Stamps is 1 for -t (time of day), 2 for -tt (with microseconds), 3
	// for -ttt (seconds since the epoch).
	Stamps int
	// Relative prints the time since the previous line (-r).
	Relative bool
	// Durations prints the time spent in each call (-T).
	Durations bool
}

// clock remembers the previous timestamp for -r.
type clock struct{ last time.Time }

// appendStamp appends the timestamp that starts a line, coloured by p
// when it is set.
func (c *clock) appendStamp(b []byte, t time.Time, o *TimeOptions, p *Palette) []byte {
	if !o.Relative && o.Stamps == 0 {
		return b
	}
	b = p.open(b, event.TokTime)
	b = c.appendBareStamp(b, t, o)
	return p.close(b, event.TokTime)
}

func (c *clock) appendBareStamp(b []byte, t time.Time, o *TimeOptions) []byte {
	if o.Relative {
		d := time.Duration(0)
		if !c.last.IsZero() && t.After(c.last) {
			d = t.Sub(c.last)
		}
		c.last = t
		b = appendPadded(b, int(d/time.Second), 6, true)
		b = append(b, '.')
		b = appendZero(b, int(d%time.Second/time.Microsecond), 6)
		b = append(b, ' ')
	}
	switch o.Stamps {
	case 1:
		b = t.AppendFormat(b, "15:04:05 ")
	case 2:
		b = t.AppendFormat(b, "15:04:05.000000 ")
	case 3:
		b = strconv.AppendInt(b, t.Unix(), 10)
		b = append(b, '.')
		b = appendZero(b, t.Nanosecond()/1000, 6)
		b = append(b, ' ')
	}
	return b
}

// appendDuration appends -T's " <0.000123>".
func appendDuration(b []byte, d time.Duration) []byte {
	b = append(b, " <"...)
	b = strconv.AppendInt(b, int64(d/time.Second), 10)
	b = append(b, '.')
	b = appendZero(b, int(d%time.Second/time.Microsecond), 6)
	return append(b, '>')
}

// appendZero appends n zero-padded to width digits.
func appendZero(b []byte, n, width int) []byte {
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], int64(n), 10)
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
}
