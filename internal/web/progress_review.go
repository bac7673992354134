package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"nipp/internal/nipp"
)

// reviewView is the program review report: a printable A4 page (print
// stylesheet in nipp.css) in the page's language, and its workbook.
type reviewView struct {
	Page
	progressBase
	R *nipp.Review
	// Today is when the report was drawn up.
	Today          nipp.Date
	ReviewFunding  template.HTML
	StateTotal     int64
	HeadlineTexts  []string
	ScopeNameShown string
}

func (v *reviewView) Attainment() []nipp.IndicatorProgress {
	if v.R == nil {
		return nil
	}
	return v.R.Attainment
}
func (v *reviewView) FormAction() string {
	return "/programs/" + url.PathEscape(v.Code) + "/review"
}
func (v *reviewView) ShowField() bool { return false }

// ExportReview is the report's workbook.
func (v *reviewView) ExportReview() string {
	return v.with("/programs/"+url.PathEscape(v.Code)+"/review/export.xlsx", "show", "")
}

// DashboardURL is the dashboard of the same query.
func (v *reviewView) DashboardURL() string { return v.Drill() }

// ShareOfState is an activity type's share of the scope's state funding.
func (v *reviewView) ShareOfState(a int64) string {
	return v.L.Percent(nipp.ShareBP(a, v.StateTotal))
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	v := &reviewView{Page: s.page(r, "rpt.title"), Today: s.app.Today()}
	v.loc, v.Code = v.L, code
	q, err := progressQuery(r)
	if err == nil {
		v.R, err = s.app.ProgramReview(r.Context(), q)
	}
	if err != nil {
		if s.refusedProgressQuery(w, r, &v.Page, &v.progressBase, "rpt.title", q, err) {
			s.render(w, r, http.StatusUnprocessableEntity, "review", v)
		}
		return
	}
	v.Query, v.Program = v.R.Query, v.R.Program
	v.PageTitle = v.L.T("rpt.title") + " · " + v.L.Pick(v.Program.NameVI, v.Program.NameEN)
	v.values = queryValues(v.Query, "")
	v.fillOptions()
	v.StateTotal = v.R.Funding.State.Approved
	for _, h := range v.R.Headlines {
		v.HeadlineTexts = append(v.HeadlineTexts, v.L.Msg(h))
	}
	v.ScopeNameShown = reviewScope(v.L, v.R)
	v.ReviewFunding = fundingFigure(v.L, v.Query, v.R.Funding, func(year int) string { return v.Projects("year", strconv.Itoa(year), "state", nipp.StatesDecided) })
	s.render(w, r, http.StatusOK, "review", v)
}

func (s *Server) reviewExport(w http.ResponseWriter, r *http.Request) {
	q, err := progressQuery(r)
	var rv *nipp.Review
	if err == nil {
		rv, err = s.app.ProgramReview(r.Context(), q)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := L{lang(r)}
	writeBook(w, s, r, "review-"+rv.Program.Code+"-"+strconv.Itoa(rv.Query.From)+"-"+strconv.Itoa(rv.Query.To)+".xlsx", l, reviewSheets(l, rv))
}

// progressHome sends /progress to the dashboard of the program asked for
// (?program=), else of the national program whose period holds this year
// (else the latest national one), keeping the other filters.
func (s *Server) progressHome(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code := q.Get("program")
	q.Del("program")
	if code == "" {
		progs, err := s.app.ProgramList(r.Context(), nipp.ProgramFilter{Level: nipp.ProgramNational})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		year, latest := s.app.Today().Year, 0
		for _, p := range progs {
			if p.InPeriod(year) {
				code = p.Code
				break
			}
			if p.EndYear > latest {
				code, latest = p.Code, p.EndYear
			}
		}
		if code == "" {
			s.fail(w, r, nipp.Errorf(nipp.ENOTFOUND, "err.web.dash_no_program"))
			return
		}
	}
	target := "/programs/" + url.PathEscape(code) + "/progress"
	if e := q.Encode(); e != "" {
		target += "?" + e
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}
