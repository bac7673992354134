package nipp

import (
	"strings"
	"testing"
	"time"
)

// chain builds n linked entries.
func chain(n int) []*AuditEntry {
	var out []*AuditEntry
	prev := ""
	for i := 1; i <= n; i++ {
		e := &AuditEntry{Seq: int64(i), At: time.Date(2026, 12, 1, 0, 0, i, 0, time.UTC), Actor: "system", Action: "create", Entity: "user", EntityID: "1", PrevHash: prev}
		e.Hash = e.ComputeHash(prev)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

// A checkpoint at exactly the last entry is reached; one seq beyond it is
// not; a checkpoint whose hash differs from the entry's is reported.
func TestVerifierCheckpointsAtTheBoundary(t *testing.T) {
	es := chain(5)
	cp := func(n, seq int64, hash string) AuditCheckpoint {
		return AuditCheckpoint{Number: n, Seq: seq, Hash: hash, At: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	}
	cases := []struct {
		name string
		cps  []AuditCheckpoint
		want []string
	}{
		{"reached at the last entry", []AuditCheckpoint{cp(1, 2, es[1].Hash), cp(2, 5, es[4].Hash)}, nil},
		{"one beyond the last entry", []AuditCheckpoint{cp(1, 2, es[1].Hash), cp(2, 6, es[4].Hash)}, []string{"seq 6: checkpoint: checkpoint 2 of 2026-12-01T10:00:00Z recorded seq 6, but the chain no longer reaches it: entry 6 is missing"}},
		{"hash differs", []AuditCheckpoint{cp(1, 3, es[2].Hash[:63]+"0")}, []string{"seq 3 (user 1): checkpoint: checkpoint 1 of 2026-12-01T10:00:00Z recorded hash"}},
		{"the same checkpoint twice counts once", []AuditCheckpoint{cp(2, 6, es[4].Hash), cp(2, 6, es[4].Hash)}, []string{"seq 6: checkpoint"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var v AuditVerifier
			v.Expect(c.cps)
			for _, e := range es {
				v.Add(e)
			}
			rep := v.Finish(5, es[4].Hash)
			if len(rep.Issues) != len(c.want) {
				t.Fatalf("issues %v, want %d", rep.Issues, len(c.want))
			}
			for i, w := range c.want {
				if !strings.HasPrefix(rep.Issues[i].String(), w) {
					t.Errorf("issue %q, want %q…", rep.Issues[i].String(), w)
				}
			}
		})
	}
}

func TestParseAuditCheckpoints(t *testing.T) {
	h := strings.Repeat("ab", 32)
	for _, ok := range []string{
		"\xef\xbb\xbfnumber,seq,hash,at\n1,2," + h + ",2026-12-01T10:00:00Z\n",
		"at,hash,seq,number,extra\n2026-12-01T10:00:00.123456Z," + strings.ToUpper(h) + ",2,1,x\n",
		`{"items": [{"number": 1, "seq": 2, "hash": "` + h + `", "at": "2026-12-01T10:00:00Z"}]}`,
		`[{"number": 1, "seq": 2, "hash": "` + h + `", "at": "2026-12-01T10:00:00Z"}]`,
	} {
		cps, err := ParseAuditCheckpoints([]byte(ok))
		if err != nil || len(cps) != 1 || cps[0].Seq != 2 || cps[0].Hash != h {
			t.Errorf("%q: %+v %v", ok, cps, err)
		}
	}
	for in, want := range map[string]string{
		"":                       "no checkpoint",
		"number,seq,hash,at\n":   "no checkpoint",
		"number,seq,at\n1,2,x\n": `line 1: the header lacks the column "hash"`,
		"number,seq,hash,at\n1,two," + h + ",2026-12-01T10:00:00Z\n": `line 2: seq "two" is not a whole number`,
		"number,seq,hash,at\n1,0," + h + ",2026-12-01T10:00:00Z\n":   "line 2: seq must be 1 or more",
		"number,seq,hash,at\n1,2," + h + ",01/12/2026\n":             "line 2: at \"01/12/2026\"",
		`{"items": [{"number": 1, "seq": 2, "hash": "xyz"}]}`:        "item 1: hash must be 64 hexadecimal digits",
		`{"items": [`: "not valid checkpoint JSON",
	} {
		if _, err := ParseAuditCheckpoints([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}
