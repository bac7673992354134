package nipp

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Problems AuditVerifier reports.
const (
	AuditAltered   = "altered"   // the entry's contents no longer match its hash, or its hash was rewritten
	AuditRemoved   = "removed"   // entries are missing (a gap in seq, or the end of the trail)
	AuditReordered = "reordered" // the entry was written under another seq
	AuditHead      = "head"      // the head record does not match the last entry
	// AuditCheckpointLost: the chain no longer reaches a published
	// checkpoint (the entry is missing, or its hash differs).
	AuditCheckpointLost = "checkpoint"
)

// AuditIssue is one finding of the verification, naming the entry.
type AuditIssue struct {
	Seq      int64  `json:"seq"`
	Entity   string `json:"entity,omitempty"`
	EntityID string `json:"entity_id,omitempty"`
	Problem  string `json:"problem"`
	Detail   string `json:"detail"`
}

func (i AuditIssue) String() string {
	s := fmt.Sprintf("seq %d", i.Seq)
	if i.Entity != "" {
		s += fmt.Sprintf(" (%s %s)", i.Entity, i.EntityID)
	}
	return s + ": " + i.Problem + ": " + i.Detail
}

// AuditReport is the result of verifying the whole chain.
type AuditReport struct {
	Entries int64        `json:"entries"`
	Issues  []AuditIssue `json:"issues"`
	// More counts issues beyond MaxAuditIssues that were not kept.
	More int `json:"more,omitempty"`
}

// OK reports whether the chain is intact.
func (r *AuditReport) OK() bool { return len(r.Issues) == 0 && r.More == 0 }

// MaxAuditIssues bounds the issues a report keeps in memory.
const MaxAuditIssues = 10000

// reorderWindow is how far from its place an entry is looked for when its
// hash does not match.
const reorderWindow = 16

// AuditVerifier checks the hash chain entry by entry, in seq order, so the
// trail can be streamed. Feed every entry to Add, then call Finish with the
// head record.
type AuditVerifier struct {
	report      AuditReport
	prev        AuditEntry
	hasPrev     bool
	prevBad     bool
	checkpoints map[int64][]*checkpointState // by seq
}

type checkpointState struct {
	AuditCheckpoint
	seen bool
}

// Expect adds checkpoints the chain must still reach: for each, the entry
// with its seq must exist with its hash. Call it before the first Add.
// The same checkpoint given twice (stored and from a file) counts once.
func (v *AuditVerifier) Expect(cps []AuditCheckpoint) {
	if v.checkpoints == nil {
		v.checkpoints = map[int64][]*checkpointState{}
	}
	for _, c := range cps {
		if slices.ContainsFunc(v.checkpoints[c.Seq], func(s *checkpointState) bool {
			return s.Number == c.Number && s.Hash == c.Hash
		}) {
			continue
		}
		v.checkpoints[c.Seq] = append(v.checkpoints[c.Seq], &checkpointState{AuditCheckpoint: c})
	}
}

func (c *AuditCheckpoint) label() string {
	return fmt.Sprintf("checkpoint %d of %s", c.Number, c.At.UTC().Format(time.RFC3339))
}

func (v *AuditVerifier) issue(e *AuditEntry, problem, detail string, args ...any) {
	if len(v.report.Issues) >= MaxAuditIssues {
		v.report.More++
		return
	}
	v.report.Issues = append(v.report.Issues, AuditIssue{Seq: e.Seq, Entity: e.Entity, EntityID: e.EntityID, Problem: problem, Detail: fmt.Sprintf(detail, args...)})
}

// Add checks the next entry.
func (v *AuditVerifier) Add(e *AuditEntry) {
	v.report.Entries++
	bad := false
	if e.ComputeHash(e.PrevHash) != e.Hash {
		bad = true
		if k, ok := writtenAs(e); ok {
			v.issue(e, AuditReordered, "written as seq %d, now found at seq %d", k, e.Seq)
		} else {
			v.issue(e, AuditAltered, "its contents do not match its hash")
		}
	}
	want := int64(1)
	if v.hasPrev {
		want = v.prev.Seq + 1
	}
	gap := e.Seq != want
	if gap {
		missing := &AuditEntry{Seq: want}
		if e.Seq-1 == want {
			v.issue(missing, AuditRemoved, "entry %d is missing (the next entry is seq %d, %s %s)", want, e.Seq, e.Entity, e.EntityID)
		} else {
			v.issue(missing, AuditRemoved, "entries %d–%d are missing (the next entry is seq %d, %s %s)", want, e.Seq-1, e.Seq, e.Entity, e.EntityID)
		}
	}
	if !gap && !bad {
		wantPrev := ""
		if v.hasPrev {
			wantPrev = v.prev.Hash
		}
		if e.PrevHash != wantPrev {
			switch {
			case !v.hasPrev:
				v.issue(e, AuditAltered, "the first entry does not start the chain")
			case !v.prevBad:
				// e is intact but no longer links to the entry before it: that
				// entry was changed and its hash recomputed.
				v.issue(&v.prev, AuditAltered, "it was changed and its hash recomputed: entry %d no longer links to it", e.Seq)
			}
		}
	}
	for _, c := range v.checkpoints[e.Seq] {
		c.seen = true
		if c.Hash != e.Hash {
			v.issue(e, AuditCheckpointLost, "%s recorded hash %.12s… for seq %d; the entry's hash is now %.12s…: the chain was rewritten", c.label(), c.Hash, e.Seq, e.Hash)
		}
	}
	v.prev, v.hasPrev, v.prevBad = *e, true, bad
}

// writtenAs finds the seq an entry was written under, if it is near.
func writtenAs(e *AuditEntry) (int64, bool) {
	c := *e
	for d := int64(1); d <= reorderWindow; d++ {
		for _, k := range []int64{e.Seq - d, e.Seq + d} {
			if k < 1 {
				continue
			}
			c.Seq = k
			if c.ComputeHash(c.PrevHash) == e.Hash {
				return k, true
			}
		}
	}
	return 0, false
}

// Finish compares the last entry with the head record (which a deletion of
// the last entries cannot update unnoticed) and returns the report.
func (v *AuditVerifier) Finish(headSeq int64, headHash string) *AuditReport {
	lastSeq, lastHash := int64(0), ""
	if v.hasPrev {
		lastSeq, lastHash = v.prev.Seq, v.prev.Hash
	}
	switch {
	case headSeq > lastSeq:
		missing := &AuditEntry{Seq: lastSeq + 1}
		if headSeq == lastSeq+1 {
			v.issue(missing, AuditRemoved, "the last entry (%d) is missing: the head records seq %d", headSeq, headSeq)
		} else {
			v.issue(missing, AuditRemoved, "the last entries %d–%d are missing: the head records seq %d", lastSeq+1, headSeq, headSeq)
		}
	case headSeq != lastSeq || headHash != lastHash:
		v.issue(&AuditEntry{Seq: lastSeq, Entity: v.prev.Entity, EntityID: v.prev.EntityID}, AuditHead,
			"the head records seq %d, but the last entry is seq %d or its hash differs", headSeq, lastSeq)
	}
	var lost []*checkpointState
	for _, cs := range v.checkpoints {
		for _, c := range cs {
			if !c.seen {
				lost = append(lost, c)
			}
		}
	}
	slices.SortFunc(lost, func(a, b *checkpointState) int {
		return cmp.Or(cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.Number, b.Number))
	})
	for _, c := range lost {
		v.issue(&AuditEntry{Seq: c.Seq}, AuditCheckpointLost, "%s recorded seq %d, but the chain no longer reaches it: entry %d is missing", c.label(), c.Seq, c.Seq)
	}
	r := v.report
	if r.Issues == nil {
		r.Issues = []AuditIssue{}
	}
	return &r
}
