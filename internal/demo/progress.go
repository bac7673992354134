package demo

import (
	"fmt"
	"io"
	"time"
)

// progress tells a load's stages as they go: a line when a stage passes
// each tenth of its rows, and when it ends, with the time since the load
// started.
type progress struct {
	w     io.Writer
	start time.Time
	last  map[string]int
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, start: time.Now(), last: map[string]int{}}
}

// rows reports done of total rows of a stage.
func (p *progress) rows(stage string, done, total int) {
	if p.w == nil || total == 0 {
		return
	}
	tenth := done * 10 / total
	if tenth == p.last[stage] && done < total {
		return
	}
	p.last[stage] = tenth
	fmt.Fprintf(p.w, "%7s  %s: %d of %d (%d%%)\n", time.Since(p.start).Round(time.Second), stage, done, total, done*100/total)
}

// stage reports that a stage without rows to count has ended.
func (p *progress) stage(name string, _ int) {
	if p.w != nil {
		fmt.Fprintf(p.w, "%7s  %s: done\n", time.Since(p.start).Round(time.Second), name)
	}
}

func (p *progress) note(s string) {
	if p.w != nil {
		fmt.Fprintf(p.w, "%7s  %s\n", time.Since(p.start).Round(time.Second), s)
	}
}

// count reports done rows of a stage whose total is not known, every step
// rows.
func (p *progress) count(stage string, done, step int) {
	if p.w == nil || done/step == p.last[stage] {
		return
	}
	p.last[stage] = done / step
	fmt.Fprintf(p.w, "%7s  %s: %d\n", time.Since(p.start).Round(time.Second), stage, done)
}
