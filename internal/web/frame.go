package web

import (
	"reflect"
	"sort"
	"sync"
)

// A page view embeds Page (the frame the layout needs) beside the record it
// shows. In a template, a name resolves to the shallowest field or method,
// so a frame field named like a record field silently hides it: Page once
// had a Version (the build) that hid a project's version in every form of
// the project page, and every action was refused as a concurrent change.
// frameClashes finds such names; render refuses a view that has any, so a
// test that renders the page fails instead of a user meeting it.

var frameChecked sync.Map // reflect.Type → []string

// frameClashes lists the names of Page's fields and methods that the view
// type also has elsewhere: as its own field or method, or promoted from
// another embedded value. Views that do not embed Page have none.
func frameClashes(t reflect.Type) []string {
	if v, ok := frameChecked.Load(t); ok {
		return v.([]string)
	}
	st := t
	for st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	var clashes []string
	if st.Kind() == reflect.Struct {
		if f, ok := st.FieldByName("Page"); ok && f.Anonymous && f.Type == reflect.TypeFor[Page]() {
			frame := names(reflect.TypeFor[Page](), map[reflect.Type]bool{})
			others := map[string]bool{}
			for i := range st.NumField() {
				sf := st.Field(i)
				if sf.Anonymous && sf.Type == reflect.TypeFor[Page]() {
					continue
				}
				others[sf.Name] = true
				if sf.Anonymous {
					for n := range names(sf.Type, map[reflect.Type]bool{}) {
						others[n] = true
					}
				}
			}
			// The view's own methods (and promoted ones, already listed);
			// those promoted from Page are the frame's, not a clash.
			pageMethods := reflect.PointerTo(reflect.TypeFor[Page]())
			for i := range reflect.PointerTo(st).NumMethod() {
				m := reflect.PointerTo(st).Method(i)
				if _, fromPage := pageMethods.MethodByName(m.Name); !fromPage {
					others[m.Name] = true
				}
			}
			for n := range frame {
				if others[n] {
					clashes = append(clashes, n)
				}
			}
			sort.Strings(clashes)
		}
	}
	frameChecked.Store(t, clashes)
	return clashes
}

// names lists every field and method name reachable in t (through embedded
// values, at any depth).
func names(t reflect.Type, seen map[reflect.Type]bool) map[string]bool {
	out := map[string]bool{}
	pt := t
	if pt.Kind() != reflect.Pointer && pt.Kind() != reflect.Interface {
		pt = reflect.PointerTo(t)
	}
	for i := range pt.NumMethod() {
		out[pt.Method(i).Name] = true
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return out
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		out[f.Name] = true
		if f.Anonymous {
			for n := range names(f.Type, seen) {
				out[n] = true
			}
		}
	}
	return out
}
