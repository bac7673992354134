package app

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/tabular"
)

// A chunk prepared while the chunk before it is written (applyChunks)
// does not yet see that chunk's records in the database; it sees what that
// chunk claims instead, so the import ends as one whose chunks were each
// prepared after the one before was written. The second chunk's rows
// below depend on the first's: a keyless record named like a record the
// first chunk created with a tax code, and a record with a tax code named
// like one it created without, are both likely duplicates (flagged for
// review); a row naming by tax code a record the first chunk created
// updates it. (The record that was there first is not flagged: the later
// one is.) Expectations written from the rules, and the same import
// prepared chunk by chunk in order compared record by record.
func TestApplyAheadSeesTheChunkBefore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := AsSystem(context.Background())
		a := New(db, nil)
		type rec struct {
			tax, addr string
			flagged   bool
		}
		run := func(tag string, serial bool) (map[string]rec, *nipp.ImportJob, int64) {
			a.serialChunks = serial
			defer func() { a.serialChunks = false }()
			taxA, taxB := fmt.Sprintf("%d%09d", len(tag), 1), fmt.Sprintf("%d%09d", len(tag), 2)
			var csv strings.Builder
			csv.WriteString("Mã cơ sở,Tên cơ sở,Loại hình,Tỉnh/TP,Xã/phường,Mã số thuế,Địa chỉ\n")
			// The first chunk: A with a tax code, B without, and fillers.
			fmt.Fprintf(&csv, "X-%s,Công ty A %s,,Hà Nội,Phường Ba Đình,%s,Số 1\n", tag, tag, taxA)
			fmt.Fprintf(&csv, ",Cơ sở B %s,HKD,Hà Nội,Phường Ba Đình,,Số 2\n", tag)
			for i := 2; i < applyChunk; i++ {
				fmt.Fprintf(&csv, ",Cơ sở lấp chỗ %s số %d,HKD,Hà Nội,Phường Ba Đình,,\n", tag, i)
			}
			// The second chunk.
			fmt.Fprintf(&csv, ",Công ty A %s,HKD,Hà Nội,Phường Ba Đình,,Số 3\n", tag)          // keyless, named as A: flagged
			fmt.Fprintf(&csv, ",Cơ sở B %s,,Hà Nội,Phường Ba Đình,%s,Số 4\n", tag, taxB)       // tax code, named as keyless B: flagged
			fmt.Fprintf(&csv, ",Cơ sở C %s,HKD,Hà Nội,Phường Ba Đình,,Số 5\n", tag)            // named as no other: not flagged
			fmt.Fprintf(&csv, ",Công ty A %s,,Hà Nội,Phường Ba Đình,%s,Số 6 mới\n", tag, taxA) // A by its tax code: updated
			before := a.aheadTaken.Load()
			j := importCSV(t, a, ctx, tag+".csv", csv.String(), false)
			taken := a.aheadTaken.Load() - before
			got := map[string]rec{}
			err := db.ReadTx(ctx, func(tx *store.Tx) error {
				rows, err := tx.Query(ctx, `SELECT name, COALESCE(tax_code, ''), address, review_duplicate FROM establishments
					WHERE name LIKE $1 AND name NOT LIKE 'Cơ sở lấp chỗ %'`, "% "+tag)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var name string
					var r rec
					if err := rows.Scan(&name, &r.tax, &r.addr, &r.flagged); err != nil {
						return err
					}
					got[name+"|"+r.tax] = r
				}
				return rows.Err()
			})
			if err != nil {
				t.Fatal(err)
			}
			return got, j, taken
		}
		check := func(tag string, got map[string]rec, j *nipp.ImportJob) {
			t.Helper()
			taxA, taxB := fmt.Sprintf("%d%09d", len(tag), 1), fmt.Sprintf("%d%09d", len(tag), 2)
			if j.State != nipp.ImportDone || j.Imported != applyChunk+3 || j.Updated != 1 || j.RejectedRows != 0 {
				t.Fatalf("%s: %s imported %d updated %d rejected %d; want done, %d, 1, 0", tag, j.State, j.Imported, j.Updated, j.RejectedRows, applyChunk+3)
			}
			want := map[string]rec{
				"Công ty A " + tag + "|" + taxA: {taxA, "Số 6 mới", false}, // flagged when created or renamed, not when its address changes
				"Công ty A " + tag + "|":        {"", "Số 3", true},
				"Cơ sở B " + tag + "|":          {"", "Số 2", false}, // the later record is flagged, not this one
				"Cơ sở B " + tag + "|" + taxB:   {taxB, "Số 4", true},
				"Cơ sở C " + tag + "|":          {"", "Số 5", false},
			}
			for k, w := range want {
				if g, ok := got[k]; !ok || g != w {
					t.Errorf("%s: record %q: %+v (found %v), want %+v", tag, k, g, ok, w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%s: %d records, want %d: %+v", tag, len(got), len(want), got)
			}
			if testing.Verbose() {
				t.Logf("%s: %+v", tag, got)
			}
		}
		ahead, aj, taken := run("ahead", false)
		if taken == 0 {
			t.Fatal("no chunk was written as prepared ahead: the test does not test it")
		}
		check("ahead", ahead, aj)
		serial, sj, staken := run("serialx", true)
		if staken != 0 {
			t.Fatalf("%d chunks prepared ahead with serialChunks set", staken)
		}
		check("serialx", serial, sj)
	})
}

// A chunk checked while the one before it is recorded (validateChunks)
// finds a row repeating a key of that chunk's rows, not yet recorded, as
// it finds one repeating a recorded row. Rows by hand: X at row 2 and Y at
// row 501 close the first chunk of 500; the second repeats Y at once (502)
// and X (602), and has Z (702); the third repeats Z (1002) and X (1003).
func TestValidateAheadFindsDuplicatesOfTheChunkBefore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := AsSystem(context.Background())
		a := New(db, nil)
		if validateChunk != 500 {
			t.Fatalf("the rows below are placed for chunks of 500, not %d", validateChunk)
		}
		names := map[int]string{0: "Cơ sở X", 499: "Cơ sở Y", 500: "Cơ sở Y", 600: "Cơ sở X", 700: "Cơ sở Z", 1000: "Cơ sở Z", 1001: "Cơ sở X"}
		var csv strings.Builder
		csv.WriteString("Tên cơ sở,Loại hình,Tỉnh/TP,Xã/phường\n")
		const n = 1100
		for i := range n {
			name, ok := names[i]
			if !ok {
				name = fmt.Sprintf("Cơ sở khác số %d", i)
			}
			fmt.Fprintf(&csv, "%s,HKD,Hà Nội,Phường Ba Đình\n", name)
		}
		r, err := tabular.NewCSVReader(strings.NewReader(csv.String()))
		if err != nil {
			t.Fatal(err)
		}
		job, err := a.StageImport(ctx, "dups.csv", r, ImportOptions{})
		if err == nil {
			job, err = a.ConfirmImport(ctx, job.ID, nil, ImportOptions{})
		}
		before := a.aheadTaken.Load()
		if err == nil {
			err = a.RunImportJob(ctx, job.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		if a.aheadTaken.Load() == before {
			t.Fatal("no chunk was recorded as checked ahead: the test does not test it")
		}
		rej, err := a.ImportRejected(ctx, job.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int]string{}
		for _, r := range rej {
			var msgs []string
			for _, is := range r.Errors {
				msgs = append(msgs, fmt.Sprint(is.Msg.Key, is.Msg.Args))
			}
			got[r.Row] = strings.Join(msgs, "; ")
		}
		want := map[int]string{
			502:  "err.import.duplicate_row[501]",
			602:  "err.import.duplicate_row[2]",
			1002: "err.import.duplicate_row[702]",
			1003: "err.import.duplicate_row[2]",
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("rejected rows: %v\nwant %v", got, want)
		}
	})
}

// Confirming a staged job's mapping does not rewrite its staged rows (they
// have no results yet); confirming a validated job again clears its
// results, and the rows are checked afresh with the new mapping.
func TestConfirmClearsResultsOnlyWhenValidated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := AsSystem(context.Background())
		a := New(db, nil)
		const csv = "Tên cơ sở,Loại hình,Tỉnh/TP,Xã/phường,Ghi chú\nCơ sở xác nhận một,HKD,Hà Nội,Phường Ba Đình,\nCơ sở xác nhận hai,HKD,Hà Nội,Phường Ba Đình,\n"
		r, err := tabular.NewCSVReader(strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		job, err := a.StageImport(ctx, "confirm.csv", r, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var resets int
		db.SetQueryHook(func(q string, _ []any) {
			if strings.HasPrefix(q, "UPDATE import_rows SET valid = NULL") {
				resets++
			}
		})
		defer db.SetQueryHook(nil)
		if job, err = a.ConfirmImport(ctx, job.ID, nil, ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		if resets != 0 {
			t.Fatalf("the first confirmation rewrote the staged rows %d times", resets)
		}
		if err := a.RunImportJob(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		if job, err = a.ImportJob(ctx, job.ID); err != nil || job.State != nipp.ImportValidated || job.ValidatedRows != 2 || job.RejectedRows != 0 {
			t.Fatalf("validated: %+v, %v", job, err)
		}
		// Mapped again without the province: every row is rejected.
		m := append([]string(nil), job.Mapping...)
		m[2] = ""
		if _, err = a.ConfirmImport(ctx, job.ID, m, ImportOptions{}); nipp.ErrorCode(err) != nipp.EINVALID {
			t.Fatalf("a mapping without the province: %v", err)
		}
		m = append([]string(nil), job.Mapping...)
		m[4] = "address"
		if job, err = a.ConfirmImport(ctx, job.ID, m, ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		if resets != 1 {
			t.Fatalf("confirming a validated job cleared its results %d times, want 1", resets)
		}
		if job.ValidatedRows != 0 || job.State != nipp.ImportValidating {
			t.Fatalf("confirmed again: %s, %d validated", job.State, job.ValidatedRows)
		}
		if err := a.RunImportJob(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		if job, err = a.ImportJob(ctx, job.ID); err != nil || job.State != nipp.ImportValidated || job.ValidatedRows != 2 {
			t.Fatalf("validated again: %+v, %v", job, err)
		}
	})
}
