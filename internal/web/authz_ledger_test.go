package web_test

import (
	"net/url"

	"nipp/internal/nipp"
	"nipp/internal/web/webtest"
)

// ledgerRead: a project's ledger is read by national roles holding
// ledger.read and by the provincial officers of its provinces (published
// or not: money is not public).
func ledgerRead(r nipp.Role, own, _ bool) bool {
	return r != nipp.RolePublic && nipp.RoleHas(r, nipp.PermLedgerRead) && (nationalScope(r) || own)
}

var authzLedger = map[string]authzEntry{
	"GET /projects/{id}/ledger":               {Record: "project", PublicID: true, Allow: ledgerRead},
	"POST /projects/{id}/ledger":              {Record: "project", PublicID: true, Form: ledgerForm, Allow: scopedWrite(nipp.PermLedgerWrite)},
	"GET /projects/{id}/ledger/export.xlsx":   {Record: "project", PublicID: true, Allow: ledgerRead},
	"GET /projects/{id}/ledger/{no}":          {Path: "/projects/{id}/ledger/1", Record: "project", PublicID: true, Allow: never},
	"POST /projects/{id}/ledger/{no}/reverse": {Path: "/projects/{id}/ledger/1/reverse", Record: "project", PublicID: true, Form: ledgerForm, Allow: never},
	"GET /ledger":                                    {Allow: rolesWith(nipp.PermLedgerRead)},
	"GET /ledger/export.xlsx":                        {Allow: rolesWith(nipp.PermLedgerRead)},
	"GET /ledger/entries":                            {Allow: rolesWith(nipp.PermLedgerRead)},
	"GET /ledger/entries/export.xlsx":                {Allow: rolesWith(nipp.PermLedgerRead)},
	"GET /ledger/imports":                            {Allow: rolesWith(nipp.PermLedgerWrite)},
	"GET /ledger/imports/template.xlsx":              {Allow: rolesWith(nipp.PermLedgerWrite)},
	"POST /ledger/imports":                           {Allow: rolesWith(nipp.PermLedgerWrite)},
	"GET /ledger/imports/{job}":                      {Path: "/ledger/imports/999", Allow: never},
	"POST /ledger/imports/{job}/mapping":             {Path: "/ledger/imports/999/mapping", Allow: never},
	"POST /ledger/imports/{job}/apply":               {Path: "/ledger/imports/999/apply", Allow: never},
	"POST /ledger/imports/{job}/cancel":              {Path: "/ledger/imports/999/cancel", Allow: never},
	"GET /ledger/imports/{job}/errors.xlsx":          {Path: "/ledger/imports/999/errors.xlsx", Allow: never},
	"GET /api/v1/projects/{id}/ledger":               {Record: "project", PublicID: true, Allow: ledgerRead},
	"POST /api/v1/projects/{id}/ledger":              {Record: "project", PublicID: true, JSON: ledgerJSON, Multipart: ledgerMultipart, Allow: scopedWrite(nipp.PermLedgerWrite)},
	"POST /api/v1/projects/{id}/ledger/{no}/reverse": {Path: "/api/v1/projects/{id}/ledger/1/reverse", Record: "project", PublicID: true, JSON: reversalJSON, Allow: never},
	"GET /api/v1/ledger/balances":                    {Allow: rolesWith(nipp.PermLedgerRead)},
	"GET /api/v1/ledger/entries":                     {Allow: rolesWith(nipp.PermLedgerRead)},
}

func ledgerForm(webtest.Record) url.Values {
	return url.Values{"source": {"national"}, "kind": {"advance"}, "amount": {"1"}, "document_no": {"X"}}
}

func ledgerJSON(webtest.Record) any {
	return map[string]any{"source": "national", "kind": "advance", "amount": 1}
}

// ledgerMultipart is a contribution with its evidence file, as the API
// takes it (the fixture project is not approved: the allowed answer is a
// refusal of the entry, never of the caller).
func ledgerMultipart(webtest.Record) (url.Values, []webtest.FilePart) {
	return url.Values{"entry": {`{"source":"reciprocal","kind":"contribution","amount":1,"date":"2026-01-02","document_no":"X","document_date":"2026-01-02"}`}},
		[]webtest.FilePart{{Field: "evidence", Name: "chung-tu.png", Content: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}}
}

func reversalJSON(webtest.Record) any { return map[string]any{"note": "x"} }
