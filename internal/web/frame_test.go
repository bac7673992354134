package web

import (
	"reflect"
	"slices"
	"testing"
)

type frameRecord struct {
	Version   int
	PageTitle string
}

type frameInner struct{ *frameRecord }

type frameNamed struct{}

func (frameNamed) CSRF() string { return "" }

// The frame's names hide a record's only if the check misses them: each
// case below once compiled and rendered the wrong value.
func TestFrameClashes(t *testing.T) {
	cases := []struct {
		view any
		want []string
	}{
		{&struct {
			Page
			*frameRecord
		}{}, []string{"PageTitle"}},
		{&struct {
			Page
			frameInner
		}{}, []string{"PageTitle"}},
		{&struct {
			Page
			Path string
		}{}, []string{"Path"}},
		{&struct {
			Page
			frameNamed
		}{}, []string{"CSRF"}},
		{&struct {
			Page
			Rec *frameRecord
		}{}, nil},
		{&struct{ Version int }{}, nil},
		{&projectView{}, nil},
	}
	for i, c := range cases {
		if got := frameClashes(reflect.TypeOf(c.view)); !slices.Equal(got, c.want) {
			t.Errorf("case %d %T: clashes %v, want %v", i, c.view, got, c.want)
		}
	}
}
