package web

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

type listNode struct {
	Name     string      `json:"name"`
	Children []*listNode `json:"children"`
	Next     *listNode   `json:"next"`
}

type listPlain struct {
	A int       `json:"a"`
	B string    `json:"b"`
	T time.Time `json:"t"`
}

type listMix struct {
	Plain   listPlain         `json:"plain"`
	Plains  []listPlain       `json:"plains"`
	Bytes   []byte            `json:"bytes"`
	Map     map[string][]int  `json:"map"`
	Any     any               `json:"any"`
	Ptr     *listMix          `json:"ptr"`
	Tree    listNode          `json:"tree"`
	Ints    []int             `json:"ints"`
	hidden  []int             //nolint:unused // unexported: left alone
	Strings map[string]string `json:"strings"`
}

// emptyLists writes every nil slice and map inside a value as [] and {}
// (through pointers, interfaces, maps, lists and self-referencing types),
// leaves []byte and self-marshalling values alone, and never changes the
// value it was given.
func TestEmptyListsEverywhere(t *testing.T) {
	in := &listMix{
		Plains: []listPlain{{A: 1}},
		Map:    map[string][]int{"x": nil},
		Any:    listNode{Name: "in an interface"},
		Ptr:    &listMix{},
		Tree:   listNode{Children: []*listNode{{Name: "leaf"}}, Next: &listNode{}},
	}
	before, _ := json.Marshal(in)
	got, _ := json.Marshal(emptyLists(reflect.ValueOf(in), 0).Interface())
	want := `{"plain":{"a":0,"b":"","t":"0001-01-01T00:00:00Z"},"plains":[{"a":1,"b":"","t":"0001-01-01T00:00:00Z"}],` +
		`"bytes":"","map":{"x":[]},"any":{"name":"in an interface","children":[],"next":null},` +
		`"ptr":{"plain":{"a":0,"b":"","t":"0001-01-01T00:00:00Z"},"plains":[],"bytes":"","map":{},"any":null,"ptr":null,` +
		`"tree":{"name":"","children":[],"next":null},"ints":[],"strings":{}},` +
		`"tree":{"name":"","children":[{"name":"leaf","children":[],"next":null}],"next":{"name":"","children":[],"next":null}},` +
		`"ints":[],"strings":{}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	after, _ := json.Marshal(in)
	if string(before) != string(after) {
		t.Errorf("the value given was changed:\n%s\n%s", before, after)
	}
	// A value with nothing to fill comes back as it is, not copied.
	p := &listPlain{A: 2}
	if out := emptyLists(reflect.ValueOf(p), 0).Interface(); out != any(p) {
		t.Error("a value without lists was copied")
	}
}
