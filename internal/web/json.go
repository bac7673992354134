package web

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"sync"
	"unicode/utf8"

	"nipp/internal/nipp"
)

// writeJSON writes v as the response, compact (no indentation: it costs
// CPU and bytes, and clients that want it pretty can indent). Every list in
// it is written as a list: a nil slice anywhere in v becomes [] (emptyLists),
// so clients never have to tell null from an empty list.
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := jsonBufs.Get().(*bytes.Buffer)
	defer putJSONBuf(buf)
	buf.Reset()
	if v != nil {
		v = emptyLists(reflect.ValueOf(v), 0).Interface()
	}
	json.NewEncoder(buf).Encode(v)
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	// Known before the status: the compress middleware sends answers
	// under minGzipSize as they are.
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// jsonBufs are writeJSON's buffers; a buffer grown past 256 KB (a large
// answer) is not kept.
var jsonBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putJSONBuf(b *bytes.Buffer) {
	if b.Cap() <= 256<<10 {
		jsonBufs.Put(b)
	}
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// emptyLists returns a copy of v in which every nil slice is an empty one
// (and every nil map an empty object).
// It copies the containers on the way (structs, pointers, slices, maps),
// never changing the caller's values, which may be shared (caches); values
// that marshal themselves are left as they are. Each type's walk is worked
// out once (listPlanOf): parts that cannot hold a slice or a map (numbers,
// strings, times, structs of those) are neither walked nor copied.
func emptyLists(v reflect.Value, depth int) reflect.Value {
	if !v.IsValid() || depth > 32 {
		return v
	}
	return fillLists(v, listPlanOf(v.Type()), depth)
}

func fillLists(v reflect.Value, pl *listPlan, depth int) reflect.Value {
	if pl.skip || depth > 32 {
		return v
	}
	t := v.Type()
	switch pl.kind {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(fillLists(v.Elem(), pl.elem, depth+1))
		return p
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		inner := v.Elem()
		ipl := listPlanOf(inner.Type())
		if ipl.skip {
			return v
		}
		n := reflect.New(t).Elem()
		n.Set(fillLists(inner, ipl, depth+1))
		return n
	case reflect.Struct:
		n := reflect.New(t).Elem()
		n.Set(v)
		for _, f := range pl.fields {
			n.Field(f.index).Set(fillLists(v.Field(f.index), f.plan, depth+1))
		}
		return n
	case reflect.Slice:
		if v.IsNil() {
			return reflect.MakeSlice(t, 0, 0)
		}
		if pl.elem.skip {
			return v // []byte (base64 text) and lists of plain values
		}
		n := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			n.Index(i).Set(fillLists(v.Index(i), pl.elem, depth+1))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return reflect.MakeMap(t)
		}
		if pl.elem.skip {
			return v
		}
		n := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			n.SetMapIndex(it.Key(), fillLists(it.Value(), pl.elem, depth+1))
		}
		return n
	}
	return v
}

// listPlan is how emptyLists walks values of one type.
type listPlan struct {
	kind reflect.Kind
	// skip: no value of the type can hold a nil slice or map that
	// emptyLists would fill (or the type marshals itself).
	skip   bool
	elem   *listPlan // pointer, slice and map elements
	fields []fieldPlan
}

// fieldPlan is an exported struct field that may hold a slice or a map.
type fieldPlan struct {
	index int
	plan  *listPlan
}

var (
	listPlans   sync.Map // reflect.Type -> *listPlan
	listPlansMu sync.Mutex
)

func listPlanOf(t reflect.Type) *listPlan {
	if pl, ok := listPlans.Load(t); ok {
		return pl.(*listPlan)
	}
	listPlansMu.Lock()
	defer listPlansMu.Unlock()
	building := map[reflect.Type]*listPlan{}
	pl := buildListPlan(t, building)
	// Published only when complete: other goroutines read them unlocked.
	for bt, bp := range building {
		listPlans.Store(bt, bp)
	}
	return pl
}

// buildListPlan works out t's plan; building holds the plans of the types
// being worked out (a type that contains itself is not skipped).
func buildListPlan(t reflect.Type, building map[reflect.Type]*listPlan) *listPlan {
	if pl, ok := listPlans.Load(t); ok {
		return pl.(*listPlan)
	}
	if pl, ok := building[t]; ok {
		return pl
	}
	pl := &listPlan{kind: t.Kind()}
	building[t] = pl
	switch {
	case t.Implements(jsonMarshaler) || t.Implements(textMarshaler):
		pl.skip = true
	case pl.kind == reflect.Pointer:
		pl.elem = buildListPlan(t.Elem(), building)
		pl.skip = pl.elem.skip
	case pl.kind == reflect.Slice || pl.kind == reflect.Map:
		pl.elem = buildListPlan(t.Elem(), building)
		if pl.kind == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			pl.elem = &listPlan{kind: reflect.Uint8, skip: true} // []byte is base64 text
		}
	case pl.kind == reflect.Interface:
	case pl.kind == reflect.Struct:
		for i := range t.NumField() {
			if !t.Field(i).IsExported() {
				continue
			}
			if fp := buildListPlan(t.Field(i).Type, building); !fp.skip {
				pl.fields = append(pl.fields, fieldPlan{index: i, plan: fp})
			}
		}
		pl.skip = len(pl.fields) == 0
	default:
		pl.skip = true // numbers, strings, booleans, arrays, ...
	}
	return pl
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
	return decodeJSON(r, data, v)
}

// decodeJSON decodes one JSON value as readJSON does: valid UTF-8, no
// control characters in strings, no unknown fields, nothing after it.
func decodeJSON(r *http.Request, data []byte, v any) error {
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
