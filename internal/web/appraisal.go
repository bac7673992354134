package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/tabular"
)

type appraisalView struct {
	Page
	Rounds []nipp.AppraisalRound
	Round  *nipp.AppraisalRound
	Year   int // the new round's year when the form opens: this year
}

// Points formats hundredths of a point in the page's language: 70,00
// (vi), 70.00 (en).
func (v *appraisalView) Points(n int64) string {
	s := strconv.FormatFloat(float64(n)/100, 'f', 2, 64)
	if v.L.Lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// parsePoints reads a score out of 100 with up to two decimals: "70", "70.5", "70,5".
func parsePoints(s string) (int64, error) {
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), 64)
	if err != nil || f < 0 || f > 100 {
		return 0, nipp.FieldError("pass_mark", "err.nipp.pass_mark_between_0_100")
	}
	return int64(math.Round(f * 100)), nil
}

func (s *Server) appraisalRounds(w http.ResponseWriter, r *http.Request) {
	s.renderAppraisalRounds(w, r, http.StatusOK, nil)
}

// renderAppraisalRounds shows the rounds and the new round's form; formErr,
// when set, is why the form was refused (each problem beside its field).
func (s *Server) renderAppraisalRounds(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	rounds, err := s.app.AppraisalRounds(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &appraisalView{Page: s.page(r, "appraisal.title"), Rounds: rounds, Year: s.app.PlanYear()}
	v.Refuse(formErr)
	s.render(w, r, status, "appraisal_rounds", v)
}

// appraisalCreateRound reads criteria as lines "code; name; weight; max score".
func (s *Server) appraisalCreateRound(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	round := nipp.AppraisalRound{Name: f.Get("name"), Year: atoiDefault(f.Get("year"), 0)}
	pm, err := parsePoints(f.Get("pass_mark"))
	if err == nil {
		round.PassMark = pm
		for _, line := range strings.Split(f.Get("criteria"), "\n") {
			parts := strings.Split(line, ";")
			if strings.TrimSpace(line) == "" {
				continue
			}
			if len(parts) != 4 {
				err = nipp.FieldError("criteria", "err.web.each_line_code_name_weight")
				break
			}
			round.Criteria = append(round.Criteria, nipp.Criterion{Code: strings.TrimSpace(parts[0]), Name: strings.TrimSpace(parts[1]),
				Weight: atoiDefault(parts[2], 0), MaxScore: atoiDefault(parts[3], 0)})
		}
	}
	var created *nipp.AppraisalRound
	if err == nil {
		created, err = s.app.CreateAppraisalRound(r.Context(), round)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, _ string) { s.renderAppraisalRounds(w, r, status, err) })
		return
	}
	http.Redirect(w, r, "/appraisal/"+strconv.FormatInt(created.ID, 10), http.StatusSeeOther)
}

func (s *Server) renderAppraisalRound(w http.ResponseWriter, r *http.Request, status int, id int64, formErr error) {
	round, err := s.app.AppraisalRound(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &appraisalView{Page: s.page(r, "appraisal.title"), Round: round}
	v.Refuse(formErr)
	v.PageTitle = round.Name
	s.render(w, r, status, "appraisal_round", v)
}

func pathInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.PathValue(name), 10, 64)
	return n
}

func (s *Server) appraisalRound(w http.ResponseWriter, r *http.Request) {
	s.renderAppraisalRound(w, r, http.StatusOK, pathInt(r, "round"), nil)
}

func (s *Server) appraisalCreateCouncil(w http.ResponseWriter, r *http.Request) {
	id := pathInt(r, "round")
	r.ParseForm()
	if _, err := s.app.CreateCouncil(r.Context(), id, r.PostForm.Get("name")); err != nil {
		s.formFail(w, r, err, func(status int, _ string) { s.renderAppraisalRound(w, r, status, id, err) })
		return
	}
	http.Redirect(w, r, "/appraisal/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *Server) appraisalCouncilPost(w http.ResponseWriter, r *http.Request, do func(council int64, value string) error, field string) {
	council := pathInt(r, "council")
	r.ParseForm()
	round := atoiDefault(r.PostForm.Get("round"), 0)
	if err := do(council, r.PostForm.Get(field)); err != nil {
		s.formFail(w, r, err, func(status int, _ string) { s.renderAppraisalRound(w, r, status, int64(round), err) })
		return
	}
	http.Redirect(w, r, "/appraisal/"+strconv.Itoa(round), http.StatusSeeOther)
}

func (s *Server) appraisalAddMember(w http.ResponseWriter, r *http.Request) {
	s.appraisalCouncilPost(w, r, func(c int64, v string) error { return s.app.AddCouncilMember(r.Context(), c, v) }, "email")
}

func (s *Server) appraisalAssign(w http.ResponseWriter, r *http.Request) {
	s.appraisalCouncilPost(w, r, func(c int64, v string) error { return s.app.AssignToCouncil(r.Context(), c, v) }, "project")
}

type planView struct {
	Page
	Plan    *nipp.AnnualPlan
	CanEdit bool
}

func (s *Server) renderPlan(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	pl, err := s.app.AnnualPlan(r.Context(), atoiDefault(r.PathValue("year"), 0))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &planView{Page: s.page(r, "plan.title"), Plan: pl, CanEdit: nipp.PrincipalFrom(r.Context()).Can(nipp.PermProjectDecide)}
	v.Refuse(formErr)
	v.PageTitle = v.L.Tf("plan.title_year", pl.Year)
	s.render(w, r, status, "plans_show", v)
}

func (s *Server) planShow(w http.ResponseWriter, r *http.Request) {
	s.renderPlan(w, r, http.StatusOK, nil)
}

func (s *Server) planCeiling(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	year := atoiDefault(r.PathValue("year"), 0)
	c, err := parseAmount("ceiling", r.PostForm.Get("ceiling"))
	if err == nil {
		err = s.app.SetPlanCeiling(r.Context(), year, c, r.PostForm.Get("note"), atoiDefault(r.PostForm.Get("version"), 0))
	} else {
		// Every problem at once: the note's too.
		err = nipp.JoinErrors(err, nipp.CheckText("note", r.PostForm.Get("note"), nipp.MaxNoteLen, true))
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, _ string) { s.renderPlan(w, r, status, err) })
		return
	}
	http.Redirect(w, r, "/plans/"+strconv.Itoa(year), http.StatusSeeOther)
}

// planTable is one table of the plan page.
type planTable struct {
	L             L
	Caption, Head string
	Rows          []nipp.PlanRow
}

func (v *planView) ProvinceTable() planTable {
	return planTable{L: v.L, Caption: v.L.T("plan.by_province"), Head: v.L.T("plan.province"), Rows: v.Plan.ByProvince}
}

func (v *planView) ActivityTable() planTable {
	return planTable{L: v.L, Caption: v.L.T("plan.by_activity"), Head: v.L.T("plan.activity"), Rows: v.Plan.ByActivity}
}

// planExport streams the year's plan as .xlsx: one table with the totals by
// province and by activity type (a section column tells them apart), each
// section closed by its total, so officers can sort, filter and print it.
func (s *Server) planExport(w http.ResponseWriter, r *http.Request) {
	pl, err := s.app.AnnualPlan(r.Context(), atoiDefault(r.PathValue("year"), 0))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := L{lang(r)}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="plan-%d.xlsx"`, pl.Year))
	xw, err := tabular.NewXLSXWriter(w, l.Tf("plan.title_year", pl.Year))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := [][]any{{l.T("plan.section"), l.T("plan.code"), l.T("plan.name"), l.T("plan.projects"), l.T("plan.proposed"), l.T("plan.approved")}}
	for _, sec := range []struct {
		name string
		rows []nipp.PlanRow
	}{{l.T("plan.by_province"), pl.ByProvince}, {l.T("plan.by_activity"), pl.ByActivity}} {
		for _, pr := range sec.rows {
			rows = append(rows, []any{sec.name, pr.Code, pr.Name, pr.Projects, pr.Proposed, pr.Approved})
		}
		// Both sections group the same projects: their total is the plan's
		// (added up with overflow checks by the store).
		rows = append(rows, []any{sec.name, "", l.T("plan.total"), pl.Projects, pl.Proposed, pl.Approved})
	}
	if len(pl.Excluded) > 0 {
		rows = append(rows, []any{l.T("plan.excluded"), "", strings.Join(pl.Excluded, ", "), len(pl.Excluded), nil, nil})
	}
	if pl.HasCeiling {
		rows = append(rows, []any{l.T("plan.ceiling"), "", "", nil, pl.Ceiling, nil})
	}
	for _, row := range rows {
		if err := xw.Write(row); err != nil {
			s.log.Error("plan export", "err", err)
			return
		}
	}
	if err := xw.Close(); err != nil {
		s.log.Error("plan export", "err", err)
	}
}

// CeilingValue is the ceiling as the form shows it (grouped), "" when none.
func (v *planView) CeilingValue() string {
	if !v.Plan.HasCeiling {
		return ""
	}
	return v.L.Num(v.Plan.Ceiling)
}
