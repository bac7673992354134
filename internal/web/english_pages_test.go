package web_test

import (
	"context"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// Issue 15: English pages showed Vietnamese text where a translation
// exists or the text is ours: a rule set's legal basis and note, the caps
// pinned on a project, the timeline's label of an approval below the pass
// mark, an organisation's legal basis; and dates took another format in
// the timeline than elsewhere.
func TestEnglishPagesShowEnglishTexts(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rs := &nipp.RuleSet{Code: "RS-EN", NameVI: "Bộ thử", NameEN: "Test set", LegalBasis: "Nghị định thử số 1", LegalBasisEN: "Test decree no. 1",
			Note: "Ghi chú tiếng Việt", NoteEN: "An English note", ValidFrom: nipp.MustDate("2026-02-01")}
		for _, src := range []string{nipp.SourceNational, nipp.SourceLocal} {
			rs.Caps = append(rs.Caps, nipp.SupportCap{ActivityTypeCode: "MACHINERY", AreaCategory: nipp.AreaOrdinary, FundingSource: src, MaxShareBP: 5000, MaxAmount: 300_000_000})
		}
		if err := db.WriteTx(context.Background(), func(tx *store.Tx) error { return tx.CreateRuleSet(context.Background(), rs, "test") }); err != nil {
			t.Fatal(err)
		}
		en := f.prov.Open("/rule-sets/RS-EN?lang=en")
		for _, want := range []string{"Test decree no. 1", "An English note"} {
			if !en.Contains(want) {
				t.Errorf("the English rule set page lacks %q", want)
			}
		}
		for _, not := range []string{"Nghị định thử", "Ghi chú tiếng Việt"} {
			if en.Contains(not) {
				t.Errorf("the English rule set page shows %q", not)
			}
		}
		if vi := f.prov.Open("/rule-sets/RS-EN?lang=vi"); !vi.Contains("Nghị định thử số 1") || vi.Contains("Test decree") {
			t.Errorf("the Vietnamese rule set page: %s", vi.Text())
		}
		// The shipped sets are in English too.
		if nd := f.prov.Open("/rule-sets/ND235-2025?lang=en"); !nd.Contains("Decree 235/2025/ND-CP of 27 August 2025") || nd.Contains(" / Effective date") {
			t.Errorf("ND235-2025 in English: %s", nd.Text())
		}
		// A project approved under it: its caps and timeline in English, one
		// date format.
		p := f.inState(nipp.StateApproved) // decision 123/QĐ-BCT of 2026-03-01, below the pass mark
		page := f.prov.Open("/projects/" + p.PublicID + "?lang=en")
		for _, want := range []string{"(RS-EN, Test decree no. 1)", "Decision no. 123/QĐ-BCT of 1 Mar 2026", "approved below the pass mark: chưa thẩm định (kiểm thử)", "2 Nov 2026 10:00"} {
			if !page.Contains(want) {
				t.Errorf("the English project page lacks %q: %s", want, page.Text())
			}
		}
		for _, not := range []string{"Nghị định thử", "Phê duyệt dưới điểm đạt", "QĐ 123/QĐ-BCT 01/03/2026", "2026-11-02", "2026-03-01"} {
			if page.Contains(not) {
				t.Errorf("the English project page shows %q", not)
			}
		}
		vi := f.prov.Open("/projects/" + p.PublicID + "?lang=vi")
		for _, want := range []string{"Quyết định số 123/QĐ-BCT ngày 01/03/2026", "02/11/2026 10:00"} {
			if !vi.Contains(want) {
				t.Errorf("the Vietnamese project page lacks %q", want)
			}
		}
		// An organisation's legal basis.
		if org := f.prov.Open("/organizations/CUC-KC?lang=en"); !org.Contains("Reorganisation of the Ministry of Industry and Trade in 2025") || org.Contains("Tổ chức lại") {
			t.Errorf("the English organisation page: %s", org.Text())
		}
	})
}
