package nipp

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Audit actions.
const (
	ActionCreate     = "create"
	ActionUpdate     = "update"
	ActionDelete     = "delete"
	ActionTransition = "transition"
	ActionMerge      = "merge"
	ActionImport     = "import"
	ActionLogin      = "login"
)

// AuditEntry is one line of the tamper-evident audit trail.
type AuditEntry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	UserID     int64     `json:"user_id,omitempty"`
	Actor      string    `json:"actor"`
	RemoteAddr string    `json:"remote_addr,omitempty"`
	Action     string    `json:"action"`
	Entity     string    `json:"entity"`
	EntityID   string    `json:"entity_id"`
	Before     string    `json:"before,omitempty"` // JSON
	After      string    `json:"after,omitempty"`  // JSON
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// ComputeHash returns the hash of the entry chained to prevHash. Every
// field but Hash takes part, each length-prefixed so no two entries can
// serialise alike.
func (e *AuditEntry) ComputeHash(prevHash string) string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte(';')
	}
	field(prevHash)
	field(strconv.FormatInt(e.Seq, 10))
	field(e.At.UTC().Format(time.RFC3339Nano))
	field(strconv.FormatInt(e.UserID, 10))
	field(e.Actor)
	field(e.RemoteAddr)
	field(e.Action)
	field(e.Entity)
	field(e.EntityID)
	field(e.Before)
	field(e.After)
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// AuditName is what the audit trail shows for a person or a record.
type AuditName struct {
	Name, NameEN string // NameEN empty: the same in English
	Email        string // people only
	Key          string // the record's key in its page's address ("" when it has no page)
}
