package nipp

import "time"

// ImportJob is a background import, kept as a database row so that it
// survives the process: its state, the file's header, the column mapping
// and the counts the page shows.
type ImportJob struct {
	ID             int64    `json:"id"`
	Kind           string   `json:"kind"`
	FileName       string   `json:"file_name"`
	State          string   `json:"state"`
	Atomic         bool     `json:"atomic"`
	HeaderRow      int      `json:"header_row"`
	Header         []string `json:"header"`
	Mapping        []string `json:"mapping"` // per column: the field key, or ""
	TotalRows      int      `json:"total_rows"`
	ValidatedRows  int      `json:"validated_rows"`
	RejectedRows   int      `json:"rejected_rows"`
	AppliedThrough int      `json:"applied_through"` // last row number applied
	Imported       int      `json:"imported"`
	Updated        int      `json:"updated"`
	Unchanged      int      `json:"unchanged"`
	Message        string   `json:"message,omitempty"`
	// AddressesAsOf is the date the file's addresses are read at (zero:
	// the day the rows are checked).
	AddressesAsOf Date `json:"addresses_as_of,omitzero"`
	// TableEndRow is the last row of the table when rows below it (a total,
	// a signature block) were left out, else 0; TrailingRows counts those.
	TableEndRow  int `json:"table_end_row,omitempty"`
	TrailingRows int `json:"trailing_rows,omitempty"`
	// NotedRows counts valid rows that carry a note (their Errors).
	NotedRows int `json:"noted_rows,omitempty"`
	// UndoRow is, while an atomic import puts back what it applied (a row
	// could not be written), that row's number; else 0.
	UndoRow   int       `json:"undo_row,omitempty"`
	CreatedBy int64     `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Import job states.
const (
	ImportMapping    = "mapping"    // staged; waiting for the user to confirm the columns
	ImportValidating = "validating" // the worker checks every row
	ImportValidated  = "validated"  // report ready; waiting for the user's choice
	ImportApplying   = "applying"   // the worker writes the valid rows, chunk by chunk
	ImportDone       = "done"
	ImportCancelled  = "cancelled"
	ImportFailed     = "failed"
)

// ImportRow is one staged row of an import.
type ImportRow struct {
	Row    int
	Cells  []string
	Valid  *bool
	Errors []RowIssue
	Record string // JSON of the parsed input
	DupKey string
}

// RowIssue is one problem of an import row: the column (1-based, 0 for the
// whole row), the field and the reason.
type RowIssue struct {
	Col   int    `json:"col"`
	Field string `json:"field"`
	Msg   Msg    `json:"msg"`
	// Reason is the text of issues stored before messages had keys.
	Reason string `json:"reason,omitempty"`
}

// Message returns the issue's message (an old row's text as its key).
func (is RowIssue) Message() Msg {
	if is.Msg.Key == "" {
		return Msg{Key: is.Reason}
	}
	return is.Msg
}
