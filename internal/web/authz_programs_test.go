package web_test

import (
	"net/url"
	"strconv"

	"nipp/internal/nipp"
	"nipp/internal/web/webtest"
)

// authzPrograms: the programs list and changes to programs, called on a
// local program of the officer's own province or another one. National
// programs stay the ministry's (TestProgramTargetRevisions, TestLocalPrograms).
// Bodies are incomplete on purpose: an allowed call answers 422 and changes
// nothing; a refused one must be refused before the body is looked at.
var authzPrograms = map[string]authzEntry{
	"GET /programs":         {Allow: allowAll},
	"GET /programs/new":     {Allow: rolesWith(nipp.PermProgramEdit)},
	"POST /programs":        {Allow: rolesWith(nipp.PermProgramEdit), Form: func(webtest.Record) url.Values { return url.Values{"name_vi": {"X"}} }},
	"POST /api/v1/programs": {Allow: rolesWith(nipp.PermProgramEdit), JSON: func(webtest.Record) any { return map[string]any{"name_vi": "X"} }},

	"GET /programs/{code}/edit": {Record: "program", Allow: scopedWrite(nipp.PermProgramEdit)},
	"POST /programs/{code}": {Record: "program", Allow: scopedWrite(nipp.PermProgramEdit),
		Form: func(rec webtest.Record) url.Values { return url.Values{"version": {strconv.Itoa(rec.Version)}} }},
	"GET /programs/{code}/revisions/new": {Record: "program", Allow: scopedWrite(nipp.PermProgramEdit)},
	"POST /programs/{code}/revisions": {Record: "program", Allow: scopedWrite(nipp.PermProgramEdit),
		Form: func(webtest.Record) url.Values { return url.Values{"value_MACHINES": {"1"}} }},
	"POST /programs/{code}/targets/import": {Record: "program", Allow: scopedWrite(nipp.PermProgramEdit)},
	"GET /programs/{code}/targets.xlsx":    {Record: "program", Allow: allowAll},
	"GET /programs/{code}/allocation":      {Record: "program", Allow: scopedWrite(nipp.PermProgramEdit)},
	"POST /programs/{code}/allocation": {Record: "program", Allow: scopedWrite(nipp.PermProgramEdit),
		Form: func(webtest.Record) url.Values { return url.Values{"decision_no": {"1/QĐ"}} }},
	"POST /programs/{code}/allocation/import": {Record: "program", Allow: scopedWrite(nipp.PermProgramEdit)},
	"PUT /api/v1/programs/{code}": {Record: "program", Allow: scopedWrite(nipp.PermProgramEdit),
		JSON: func(rec webtest.Record) any { return map[string]any{"version": rec.Version} }},
	"POST /api/v1/programs/{code}/revisions": {Record: "program", Allow: scopedWrite(nipp.PermProgramEdit),
		JSON: func(webtest.Record) any { return map[string]any{} }},
}
