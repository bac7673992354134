package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// A treasury statement as officers receive it: a letterhead, a title, the
// header, the numbering row, five entries and a total. Row 7's amount is
// not a number, row 8 names a project that does not exist, row 9 repeats
// row 5.
func statement(code string) string {
	return `KHO BẠC NHÀ NƯỚC HÀ NỘI,,,,,,,
SAO KÊ CẤP PHÁT KINH PHÍ KHUYẾN CÔNG THÁNG 10/2026,,,,,,,
STT,Mã đề án,Nguồn kinh phí,Nghiệp vụ,Số tiền,Ngày,Số chứng từ,Diễn giải
(1),(2),(3),(4),(5),(6),(7),(8)
1,` + code + `,KCQG,Tạm ứng,90.000.000,15/10/2026,UNC-101,Tạm ứng đợt 1
2,` + code + `,KCQG,Chi,50.000.000,20/10/2026,BC-101,Mua máy cắt
3,` + code + `,KCQG,Chi,năm mươi triệu,21/10/2026,BC-102,Lắp đặt
4,KCQG-2026-99-9999,KCQG,Tạm ứng,10.000.000,22/10/2026,UNC-102,Đề án khác
5,` + code + `,KCQG,Tạm ứng,90.000.000,15/10/2026,UNC-101,Tạm ứng đợt 1
,Tổng cộng,,,240.000.000,,,
`
}

var rejectedRowRe = regexp.MustCompile(`(?s)<tr data-row="(\d+)">.*?</tr>`)

// importStatement uploads a statement through the import page, checks it
// with the mapping the page guessed, and applies it, running the import
// worker as serve does; it returns the job's page after each step.
func importStatement(t *testing.T, env *webtest.Env, c *webtest.Client, csv string) (preview, checked, done *webtest.Page) {
	t.Helper()
	ctx := context.Background()
	form := c.Open("/ledger/imports").Form("/ledger/imports")
	preview = form.Attach("file", "sao-ke-10-2026.csv", []byte(csv)).Submit()
	if preview.Status != http.StatusOK || !strings.HasPrefix(preview.URL.Path, "/ledger/imports/") {
		t.Fatalf("upload: %d at %s: %s", preview.Status, preview.Path(), preview.Text())
	}
	job := preview.URL.Path
	okPage(t, "mapping", preview.Form(job+"/mapping").Submit())
	if _, err := env.App.RunImportJobs(ctx); err != nil {
		t.Fatal(err)
	}
	checked = c.Open(job)
	okPage(t, "checked", checked)
	okPage(t, "apply", checked.Form(job+"/apply").Submit())
	if _, err := env.App.RunImportJobs(ctx); err != nil {
		t.Fatal(err)
	}
	done = c.Open(job)
	okPage(t, "done", done)
	return preview, checked, done
}

// TestLedgerImport: a statement with a bad row, an unknown project code and
// a duplicate row is previewed, checked row by row (row and column named)
// and applied: the two good rows are recorded; importing the same
// statement again records nothing and changes no balance.
func TestLedgerImport(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.addLedgerRuleSet()
		id := f.approvedForLedger()
		code := f.get(id).Code
		preview, checked, done := importStatement(t, f.env, f.prov, statement(code))
		// The preview already shows each row's problem by column.
		if !preview.Contains(`[E] “năm mươi triệu” không phải số nguyên`) && !preview.Contains(`[E] "năm mươi triệu" không phải số nguyên`) {
			t.Errorf("preview of row 7: %s", preview.Text())
		}
		if !preview.Contains("[B] Không có đề án mã “KCQG-2026-99-9999” trong phạm vi của bạn") {
			t.Errorf("preview of row 8: %s", preview.Text())
		}
		if !checked.Contains("5 dòng: 2 hợp lệ, 3 lỗi.") {
			t.Errorf("check report: %s", checked.Text())
		}
		rejected := map[string]string{}
		for _, m := range rejectedRowRe.FindAllStringSubmatch(withoutLabels(done.Body), -1) {
			rejected[m[1]] = m[0]
		}
		for row, want := range map[string]string{"7": "[E]", "8": "[B]", "9": "Dòng trùng với dòng 5"} {
			if !strings.Contains(rejected[row], want) {
				t.Errorf("rejected row %s: %q, want %s", row, rejected[row], want)
			}
		}
		if len(rejected) != 3 || !done.Contains("Đã ghi 2 bút toán; 0 dòng đã có trong sổ (không ghi lại); 3 dòng bị từ chối.") {
			t.Errorf("after applying: %d rejected; %s", len(rejected), done.Text())
		}
		l := f.ledgerOf(id)
		nat := balanceOf(l, "national")
		if len(l.Entries) != 4 || nat.Advanced != 90_000_000 || nat.Spent != 50_000_000 || nat.Entries != 3 {
			t.Fatalf("after the import: %d entries, national %+v", len(l.Entries), nat)
		}
		if l.Entries[2].ImportJob == 0 || l.Entries[2].Tranche != 1 || l.Entries[2].DocNo != "UNC-101" {
			t.Errorf("imported advance: %+v", l.Entries[2])
		}
		// The errors file names each rejected row and its column.
		job := done.URL.Path
		if r := f.prov.Get(job + "/errors.xlsx"); r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("errors file: %d", r.Status)
		}

		// The same statement again: nothing new is written.
		_, checked, done = importStatement(t, f.env, f.prov, statement(code))
		if !checked.Contains("Đã có trong sổ cái (bút toán số 3)") || !checked.Contains("Đã có trong sổ cái (bút toán số 4)") {
			t.Errorf("re-import check: %s", checked.Text())
		}
		if !done.Contains("Đã ghi 0 bút toán; 2 dòng đã có trong sổ (không ghi lại); 3 dòng bị từ chối.") {
			t.Errorf("re-import: %s", done.Text())
		}
		again := f.ledgerOf(id)
		if len(again.Entries) != 4 || balanceOf(again, "national") != nat {
			t.Errorf("re-import changed the ledger: %d entries, national %+v", len(again.Entries), balanceOf(again, "national"))
		}
		checkKeptBalances(t, db)

		// Another province's officer cannot import into the project: its
		// code reads as unknown.
		_, checked, _ = importStatement(t, f.env, f.prov2, statement(code))
		if !checked.Contains("5 dòng: 0 hợp lệ, 5 lỗi.") {
			t.Errorf("another province's import: %s", checked.Text())
		}
	})
}
