package web_test

// authzMessages: a refused form kept for reload and the language switch
// belongs to the browser that submitted it; anyone else is sent back.
var authzMessages = map[string]authzEntry{
	"GET /refused/{id}": {Path: "/refused/nope", Allow: allowAll},
}
