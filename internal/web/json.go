package web

import (
	"encoding/json"
	"net/http"

	"nipp/internal/nipp"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// apiList is the envelope of every JSON list: items and, when the list is
// paged, the cursor of the next page.
type apiList[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// readJSON decodes a JSON request body (at most 1 MiB) into v.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nipp.Errorf(nipp.EINVALID, "err.web.invalid_json", err.Error())
	}
	return nil
}
