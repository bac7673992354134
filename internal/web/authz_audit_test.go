package web_test

import (
	"nipp/internal/nipp"
	"nipp/internal/web/webtest"
)

// authzAudit: the audit chain's checkpoints. Reading and exporting them is
// public (seq, hash and time only); taking one needs audit.read (auditors,
// administrators).
var authzAudit = map[string]authzEntry{
	"GET /audit/checkpoints":         {Allow: allowAll},
	"GET /audit/checkpoints.csv":     {Allow: allowAll},
	"POST /audit/checkpoints":        {Allow: rolesWith(nipp.PermAuditRead)},
	"GET /api/v1/audit/checkpoints":  {Allow: allowAll},
	"POST /api/v1/audit/checkpoints": {Allow: rolesWith(nipp.PermAuditRead), JSON: func(webtest.Record) any { return map[string]any{} }},
}
