package web

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"unicode/utf8"

	"nipp/internal/nipp"
)

// writeJSON writes v as the response. Every list in it is written as a
// list: a nil slice anywhere in v becomes [] (emptyLists), so clients never
// have to tell null from an empty list.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if v != nil {
		v = emptyLists(reflect.ValueOf(v), 0).Interface()
	}
	enc.Encode(v)
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// emptyLists returns a copy of v in which every nil slice is an empty one
// (and every nil map an empty object).
// It copies the containers on the way (structs, pointers, slices, maps),
// never changing the caller's values, which may be shared (caches); values
// that marshal themselves are left as they are.
func emptyLists(v reflect.Value, depth int) reflect.Value {
	if !v.IsValid() || depth > 32 {
		return v
	}
	t := v.Type()
	if t.Implements(jsonMarshaler) || t.Implements(textMarshaler) {
		return v
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(emptyLists(v.Elem(), depth+1))
		return p
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(t).Elem()
		n.Set(emptyLists(v.Elem(), depth+1))
		return n
	case reflect.Struct:
		n := reflect.New(t).Elem()
		n.Set(v)
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				n.Field(i).Set(emptyLists(v.Field(i), depth+1))
			}
		}
		return n
	case reflect.Slice:
		if v.IsNil() {
			return reflect.MakeSlice(t, 0, 0)
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return v // []byte is base64 text
		}
		n := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			n.Index(i).Set(emptyLists(v.Index(i), depth+1))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return reflect.MakeMap(t)
		}
		n := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			n.SetMapIndex(it.Key(), emptyLists(it.Value(), depth+1))
		}
		return n
	}
	return v
}

// apiList is the envelope of every JSON list: items and, when the list is
// paged, the cursor of the next page.
type apiList[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// readJSON decodes a JSON request body into v. The body is already bounded
// by its route's limit (guard). It refuses what a lenient decoder would
// accept or silently repair: invalid UTF-8 (never replaced), control
// characters in strings (tab, newline and CR allowed), fields v does not
// have, and anything after the one value (trailing garbage, a second object).
func readJSON(r *http.Request, v any) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nipp.Errorf(nipp.ETOOLARGE, "input.too_large", nipp.Num(err.(*http.MaxBytesError).Limit>>10))
		}
		return nipp.Errorf(nipp.EBADREQUEST, "input.bad_json")
	}
	if !utf8.Valid(data) {
		return nipp.Errorf(nipp.EBADREQUEST, "input.bad_utf8")
	}
	if err := checkJSONStrings(r, data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nipp.Errorf(nipp.EBADREQUEST, "err.web.invalid_json", err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nipp.Errorf(nipp.EBADREQUEST, "input.json_trailing")
	}
	return nil
}

// checkJSONStrings refuses a JSON document any of whose strings holds a
// control character (tab, newline and CR allowed in values, none in keys),
// naming the field. A malformed document is left to the decoder's message.
func checkJSONStrings(r *http.Request, data []byte) error {
	type frame struct {
		object, wantKey bool
		key             string
	}
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, frame{object: t == '{', wantKey: t == '{'})
				continue
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 {
					top = &stack[len(stack)-1]
				} else {
					top = nil
				}
			}
		case string:
			field := "JSON"
			if top != nil && top.object {
				field = top.key
			}
			if top != nil && top.object && top.wantKey {
				if err := checkText(r, field, t, singleLine); err != nil {
					return err
				}
				top.key, top.wantKey = t, false
				continue
			}
			if err := checkText(r, field, t, multiLine); err != nil {
				return err
			}
		}
		if top != nil && top.object {
			top.wantKey = true
		}
	}
}
