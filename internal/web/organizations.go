package web

import (
	"net/http"

	"nipp/internal/nipp"
	"nipp/internal/tabular"
)

type orgsView struct {
	Page
	Orgs     []*nipp.Organization
	Kind     string
	Province string
	Kinds    []string
}

func orgFilter(r *http.Request) nipp.OrganizationFilter {
	q := r.URL.Query()
	f := nipp.OrganizationFilter{Kind: q.Get("kind"), ProvinceCode: q.Get("province")}
	switch q.Get("active") {
	case "1":
		t := true
		f.Active = &t
	case "0":
		t := false
		f.Active = &t
	}
	return f
}

func (s *Server) organizations(w http.ResponseWriter, r *http.Request) {
	f := orgFilter(r)
	if r.URL.Query().Get("format") == "xlsx" {
		s.organizationsXLSX(w, r, f)
		return
	}
	orgs, err := s.app.Organizations(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "organizations_list", &orgsView{Page: s.page(r, "orgs.title"), Orgs: orgs, Kind: f.Kind, Province: f.ProvinceCode,
		Kinds: []string{"ministry", "central_agency", "provincial_department", "promotion_center", "other"}})
}

func (s *Server) organizationsXLSX(w http.ResponseWriter, r *http.Request, f nipp.OrganizationFilter) {
	orgs, err := s.app.Organizations(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="organizations.xlsx"`)
	xw, err := tabular.NewXLSXWriter(w, "organizations")
	if err != nil {
		s.log.Error("xlsx export", "err", err)
		return
	}
	xw.Write([]any{"code", "kind", "name_vi", "name_en", "province", "parent", "successor", "valid_from", "valid_to"})
	for _, o := range orgs {
		xw.Write([]any{o.Code, o.Kind, o.NameVI, o.NameEN, o.ProvinceCode, o.ParentCode, o.Successor, o.ValidFrom.String(), o.ValidTo.String()})
	}
	if err := xw.Close(); err != nil {
		s.log.Error("xlsx export", "err", err)
	}
}

type orgView struct {
	Page
	Org *nipp.Organization
}

func (s *Server) organization(w http.ResponseWriter, r *http.Request) {
	o, err := s.app.Organization(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &orgView{Page: s.page(r, "orgs.title"), Org: o}
	v.PageTitle = v.L.Pick(o.NameVI, o.NameEN)
	s.render(w, r, http.StatusOK, "organizations_show", v)
}

func (s *Server) apiOrganizations(w http.ResponseWriter, r *http.Request) {
	orgs, err := s.app.Organizations(r.Context(), orgFilter(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiList[*nipp.Organization]{Items: orgs})
}

// apiOrganization returns an organisation; with ?on=YYYY-MM-DD also the
// name it bore that day (as printed on a decision of that date).
func (s *Server) apiOrganization(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	o, err := s.app.Organization(r.Context(), code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := map[string]any{"organization": o}
	if on := r.URL.Query().Get("on"); on != "" {
		d, err := nipp.ParseDate(on)
		if err != nil {
			s.fail(w, r, nipp.FieldError("on", "err.web.date_yyyy_mm_dd"))
			return
		}
		n, err := s.app.OrganizationNameOn(r.Context(), code, d)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out["name_on"] = n
	}
	writeJSON(w, http.StatusOK, out)
}
