package nipp

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// AuditCheckpoint publishes the head of the audit chain at a moment: the
// seq and hash of the last entry. Kept outside nipp (exported, archived by
// an auditor), checkpoints make a truncated or rewritten recent past
// visible: the chain must still reach every checkpoint with the same hash.
// They contain nothing but these four fields, so they are public.
type AuditCheckpoint struct {
	Number int64     `json:"number"`
	Seq    int64     `json:"seq"`
	Hash   string    `json:"hash"`
	At     time.Time `json:"at"`
}

// AuditCheckpointHeader is the header of the CSV export, which
// ParseAuditCheckpoints reads back.
var AuditCheckpointHeader = []string{"number", "seq", "hash", "at"}

// CSVRecord is the checkpoint as a CSV row under AuditCheckpointHeader.
func (c AuditCheckpoint) CSVRecord() []string {
	return []string{strconv.FormatInt(c.Number, 10), strconv.FormatInt(c.Seq, 10), c.Hash, c.At.UTC().Format(time.RFC3339Nano)}
}

// MaxCheckpointFile bounds a checkpoints file read back for verification
// (about 100 bytes a checkpoint: a million checkpoints).
const MaxCheckpointFile = 100 << 20

var hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (c AuditCheckpoint) validate(where string) error {
	switch {
	case c.Number < 1:
		return fmt.Errorf("%s: the checkpoint number must be 1 or more", where)
	case c.Seq < 1:
		return fmt.Errorf("%s: seq must be 1 or more", where)
	case !hashRE.MatchString(c.Hash):
		return fmt.Errorf("%s: hash must be 64 hexadecimal digits", where)
	}
	return nil
}

// ParseAuditCheckpoints reads checkpoints as exported: JSON (the API's
// {"items": [...]} or a bare array) or CSV with the header number, seq,
// hash, at (columns in any order; extra columns ignored). Errors name the
// line (CSV) or the item (JSON).
func ParseAuditCheckpoints(data []byte) ([]AuditCheckpoint, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("the file holds no checkpoint")
	}
	var out []AuditCheckpoint
	if trimmed[0] == '{' || trimmed[0] == '[' {
		var wrapped struct {
			Items []AuditCheckpoint `json:"items"`
		}
		var err error
		if trimmed[0] == '{' {
			err = json.Unmarshal(trimmed, &wrapped)
			out = wrapped.Items
		} else {
			err = json.Unmarshal(trimmed, &out)
		}
		if err != nil {
			return nil, fmt.Errorf("not valid checkpoint JSON: %v", err)
		}
		for i, c := range out {
			if err := c.validate(fmt.Sprintf("item %d", i+1)); err != nil {
				return nil, err
			}
		}
	} else {
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		head, err := r.Read()
		if err != nil {
			return nil, fmt.Errorf("line 1: %v", err)
		}
		col := map[string]int{}
		for i, h := range head {
			col[strings.ToLower(strings.TrimSpace(h))] = i
		}
		for _, h := range AuditCheckpointHeader {
			if _, ok := col[h]; !ok {
				return nil, fmt.Errorf("line 1: the header lacks the column %q (want %s)", h, strings.Join(AuditCheckpointHeader, ","))
			}
		}
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			line, _ := r.FieldPos(0)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", line, err)
			}
			where := fmt.Sprintf("line %d", line)
			get := func(h string) string {
				if i := col[h]; i < len(rec) {
					return strings.TrimSpace(rec[i])
				}
				return ""
			}
			var c AuditCheckpoint
			if c.Number, err = strconv.ParseInt(get("number"), 10, 64); err != nil {
				return nil, fmt.Errorf("%s: number %q is not a whole number", where, get("number"))
			}
			if c.Seq, err = strconv.ParseInt(get("seq"), 10, 64); err != nil {
				return nil, fmt.Errorf("%s: seq %q is not a whole number", where, get("seq"))
			}
			c.Hash = strings.ToLower(get("hash"))
			if c.At, err = time.Parse(time.RFC3339Nano, get("at")); err != nil {
				return nil, fmt.Errorf("%s: at %q is not a time such as 2026-12-01T10:00:00Z", where, get("at"))
			}
			if err := c.validate(where); err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the file holds no checkpoint")
	}
	return out, nil
}
