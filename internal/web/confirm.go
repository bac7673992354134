package web

import (
	"net/http"

	"nipp/internal/nipp"
)

// confirmed checks the "I confirm" box that the pages put beside a
// destructive action (archive an establishment, disable an account): the
// browser requires it, and the server refuses the action without it, so a
// stray click or an old form changes nothing. The JSON API is explicit and
// needs no box.
func confirmed(r *http.Request) error {
	if r.PostFormValue("confirm") != "1" {
		return nipp.FieldError("confirm", "err.web.confirm_box")
	}
	return nil
}
