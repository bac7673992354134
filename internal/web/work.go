package web

import (
	"net/http"
	"strconv"

	"nipp/internal/app"
	"nipp/internal/nipp"
)

// workView is a signed-in user's work page.
type workView struct {
	Page
	*app.WorkList
}

func (v *workView) StateName(s nipp.ProjectState) string { return nipp.StateName(s, v.L.Lang) }
func (v *workView) ActionName(a string) string           { return nipp.ActionName(a, v.L.Lang) }
func (v *workView) Points(n int64) string                { return (&projectView{}).Points(n) }

// QueueURL is the project list filtered like a queue (own provinces only
// for a provincial officer).
func (v *workView) QueueURL(q app.WorkQueue) string {
	u := "/projects?state=" + string(q.State) + "&can=" + q.Action
	if v.OwnProvinces {
		u += "&own=1"
	}
	return u
}

// PlanURL is this year's plan.
func (v *workView) PlanURL() string { return "/plans/" + strconv.Itoa(v.PlanYear) }

// work shows what the signed-in user has to do (see app.WorkList).
func (s *Server) work(w http.ResponseWriter, r *http.Request) {
	wl, err := s.app.Work(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "work", &workView{Page: s.page(r, "work.title"), WorkList: wl})
}

// plans opens this year's plan.
func (s *Server) plans(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/plans/"+strconv.Itoa(s.app.PlanYear()), http.StatusSeeOther)
}
