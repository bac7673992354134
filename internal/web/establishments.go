package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/tabular"
)

// estQuery reads the list filters from the query string.
func estQuery(r *http.Request) app.EstablishmentQuery {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	return app.EstablishmentQuery{Limit: limit, Province: q.Get("province"), Sector: q.Get("sector"), LegalForm: q.Get("legal_form"),
		Status: q.Get("status"), Query: q.Get("q"), After: q.Get("after"), ReviewDuplicate: q.Get("review") == "1",
		IncludeOthers: q.Get("others") == "1"}
}

type estListView struct {
	Page
	Query      app.EstablishmentQuery
	Items      []*nipp.Establishment
	Next       string
	NextURL    string
	ExportXLSX string // URLs of the filtered list's exports
	ExportCSV  string
	LegalForms []string
	Statuses   []string
	Review     bool
	// Total counts every page; OwnOnly: other provinces' published
	// records are left out (a provincial officer's default, Scoped: the
	// user may ask for them); ProvinceNote names the province a typed name
	// was read as.
	Total        int64
	TotalMore    bool // more than Total match (a search's count stops)
	OwnOnly      bool
	Scoped       bool
	ProvinceNote nipp.Msg
	Error        string // a filter that could not be read (an unknown province)
}

func (s *Server) establishments(w http.ResponseWriter, r *http.Request) {
	s.establishmentList(w, r, false)
}

func (s *Server) establishmentDuplicates(w http.ResponseWriter, r *http.Request) {
	s.establishmentList(w, r, true)
}

func (s *Server) establishmentList(w http.ResponseWriter, r *http.Request, review bool) {
	q := estQuery(r)
	q.ReviewDuplicate = q.ReviewDuplicate || review
	page, err := s.app.Establishments(r.Context(), q)
	status, msg := http.StatusOK, ""
	if nipp.ErrorCode(err) == nipp.EINVALID {
		// A filter it cannot read: the same page, the form kept, the reason said.
		status, msg, page, err = statusOf(nipp.EINVALID), msgOf(r, err), &app.EstablishmentPage{}, nil
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &estListView{Page: s.page(r, "est.list.title"), Query: q, Items: page.Items, Next: page.Next,
		LegalForms: nipp.LegalForms(), Statuses: nipp.EstablishmentStatuses(), Review: review,
		Total: page.Total, TotalMore: page.TotalMore, OwnOnly: page.OwnOnly, ProvinceNote: page.ProvinceNote}
	if p := nipp.PrincipalFrom(r.Context()); !p.AllProvinces() && len(p.Provinces) > 0 {
		v.Scoped = true
	}
	if review {
		v.PageTitle = v.L.T("est.dup.title")
	}
	args := r.URL.Query()
	args.Del("after")
	if review {
		args.Set("review", "1")
	}
	v.ExportXLSX = "/establishments/export.xlsx?" + args.Encode()
	v.ExportCSV = "/establishments/export.csv?" + args.Encode()
	if page.Next != "" {
		args.Set("after", page.Next)
		v.NextURL = r.URL.Path + "?" + args.Encode()
	}
	v.Error = msg
	s.render(w, r, status, "establishments_list", v)
}

// establishmentExport streams the filtered list as .xlsx or .csv with the
// headers the import reads.
func (s *Server) establishmentExport(w http.ResponseWriter, r *http.Request, format string) {
	q := estQuery(r)
	q.After = ""
	var tw tabular.Writer
	var err error
	switch format {
	case "xlsx":
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="co-so.xlsx"`)
		tw, err = tabular.NewXLSXWriter(w, "Cơ sở")
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="co-so.csv"`)
		tw = tabular.NewCSVWriter(w)
	default:
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, nipp.Internal(err))
		return
	}
	// Authorize before the first byte, so a refusal is a proper error page.
	if _, err := s.app.Establishments(r.Context(), app.EstablishmentQuery{Limit: 1}); err != nil {
		w.Header().Del("Content-Disposition")
		s.fail(w, r, err)
		return
	}
	if err := tw.Write(app.EstablishmentHeader()); err != nil {
		return
	}
	err = s.app.EachEstablishment(r.Context(), q, func(e *nipp.Establishment) error { return tw.Write(app.EstablishmentRecord(e)) })
	if err != nil {
		s.log.Error("export failed midway", "request_id", requestID(r.Context()), "err", err)
		return
	}
	tw.Close()
}

func (s *Server) establishmentExportXLSX(w http.ResponseWriter, r *http.Request) {
	s.establishmentExport(w, r, "xlsx")
}

func (s *Server) establishmentExportCSV(w http.ResponseWriter, r *http.Request) {
	s.establishmentExport(w, r, "csv")
}

type estView struct {
	Page
	D *app.EstablishmentDetail
}

func (s *Server) establishment(w http.ResponseWriter, r *http.Request) {
	s.renderEstablishment(w, r, http.StatusOK, nil)
}

// renderEstablishment shows an establishment; formErr, when set, is why
// one of its forms (archive, merge) was refused: the page shows it beside
// that form's fields.
func (s *Server) renderEstablishment(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	d, err := s.app.Establishment(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &estView{Page: s.page(r, "est.view.title"), D: d}
	v.PageTitle = d.Name
	v.Refuse(formErr)
	s.render(w, r, status, "establishment_view", v)
}

// failOnEstablishment re-renders the establishment page for an input or
// conflict error, else reports it.
func (s *Server) failOnEstablishment(w http.ResponseWriter, r *http.Request, err error) {
	s.formFail(w, r, err, func(status int, _ string) { s.renderEstablishment(w, r, status, err) })
}

type estFormView struct {
	Page
	Action     string
	ID         string
	In         nipp.EstablishmentInput
	Candidates []nipp.Unit
	LegalForms []string
	Statuses   []string
	// Provinces are the options of the province select: today's 34, and
	// first, when the record's province is a pre-2025 one (an old record
	// being edited), that one as typed.
	Provinces []provinceOption
	// Communes fill the commune field's datalist: the 2025 communes of the
	// chosen province (empty until one is chosen; communes.js refreshes it).
	Communes []app.CommuneSuggestion
	// Raw is a refused form's submitted values: numbers and dates that did
	// not parse show as typed.
	Raw url.Values
}

type provinceOption struct {
	Value, Label string
	Selected     bool
}

// estFormPage builds the form view with its province options and the
// communes of the chosen province.
func (s *Server) estFormPage(r *http.Request, title, action, id string, in nipp.EstablishmentInput) *estFormView {
	v := &estFormView{Page: s.page(r, title), Action: action, ID: id, In: in,
		LegalForms: nipp.LegalForms(), Statuses: nipp.EstablishmentStatuses()}
	ctx := r.Context()
	provs, err := s.app.Provinces(ctx)
	if err != nil {
		s.log.Warn("provinces for the form", "request_id", requestID(ctx), "err", err)
	}
	cur := strings.TrimSpace(in.Province)
	found := cur == ""
	for _, p := range provs {
		sel := !found && (p.Code == cur || p.Name == cur)
		found = found || sel
		v.Provinces = append(v.Provinces, provinceOption{Value: p.Code, Label: p.Code + " · " + p.Name, Selected: sel})
	}
	if !found {
		v.Provinces = append([]provinceOption{{Value: cur, Label: cur + " " + v.L.T("est.province.former"), Selected: true}}, v.Provinces...)
	}
	if cur != "" {
		var err error
		// An unknown province has no list; anything else is logged.
		if v.Communes, err = s.app.CommuneSuggestions(ctx, cur, "", 0); nipp.ErrorCode(err) == nipp.EINTERNAL {
			s.log.Error("commune suggestions", "err", err, "request_id", requestID(ctx))
		}
	}
	return v
}

func (s *Server) establishmentNew(w http.ResponseWriter, r *http.Request) {
	var in nipp.EstablishmentInput
	in.Status = nipp.EstActive
	if p := nipp.PrincipalFrom(r.Context()); len(p.Provinces) == 1 {
		in.Province = p.Provinces[0]
	}
	if q := r.URL.Query().Get("province"); q != "" {
		in.Province = q
	}
	v := s.estFormPage(r, "est.new.title", "/establishments", "", in)
	s.render(w, r, http.StatusOK, "establishment_form", v)
}

func (s *Server) establishmentEdit(w http.ResponseWriter, r *http.Request) {
	d, err := s.app.Establishment(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !d.CanEdit {
		s.fail(w, r, nipp.Forbidden())
		return
	}
	e := d.Establishment
	in := nipp.EstablishmentInput{Name: e.Name, LegalForm: e.LegalForm, TaxCode: e.TaxCode, ExtID: e.ExtID, Province: e.Province.Code,
		Address: e.Address, SectorCode: e.SectorCode, CraftVillage: e.CraftVillage, Employees: e.Employees, FoundedYear: e.FoundedYear,
		ContactName: e.ContactName, Phone: e.Phone, Email: e.Email, WomenOwned: e.WomenOwned, EthnicMinorityOwned: e.EthnicMinorityOwned,
		Artisan: e.Artisan, Status: e.Status, Published: e.Published, RecordedOn: e.RecordedOn, RegisteredOn: e.RegisteredOn, Version: e.Version}
	if e.Commune != nil {
		in.Commune = e.Commune.Name
	}
	if e.OrigCommune != nil && e.OrigProvince.Generation != e.Province.Generation {
		in.Province, in.Commune, in.CommuneCode = e.OrigProvince.Name, e.OrigCommune.Name, e.Commune.Code
	}
	v := s.estFormPage(r, "est.edit.title", "/establishments/"+e.PublicID, e.PublicID, in)
	s.render(w, r, http.StatusOK, "establishment_form", v)
}

// estForm reads the establishment form. Numbers and dates that do not
// parse are reported together with every problem of the form's checks.
func estForm(r *http.Request) (nipp.EstablishmentInput, error) {
	f := r.PostForm
	in := nipp.EstablishmentInput{Name: f.Get("name"), LegalForm: f.Get("legal_form"), TaxCode: f.Get("tax_code"),
		Province: f.Get("province"), Commune: f.Get("commune"), CommuneCode: f.Get("commune_code"), Address: f.Get("address"),
		SectorCode: f.Get("sector_code"), CraftVillage: f.Get("craft_village"), ContactName: f.Get("contact_name"),
		Phone: f.Get("phone"), Email: f.Get("email"), Status: f.Get("status"),
		WomenOwned: f.Get("women_owned") != "", EthnicMinorityOwned: f.Get("ethnic_minority_owned") != "",
		Artisan: f.Get("artisan") != "", Published: f.Get("published") != ""}
	in.Version, _ = strconv.Atoi(f.Get("version"))
	var errs []*nipp.Error
	for _, x := range []struct {
		key string
		dst **int64
	}{{"employees", &in.Employees}, {"founded_year", &in.FoundedYear}} {
		if t := strings.TrimSpace(f.Get(x.key)); t != "" {
			n, err := tabular.ParseInt(t)
			if err != nil {
				errs = append(errs, nipp.FieldError(x.key, "err.web.whole_number_required"))
				continue
			}
			*x.dst = &n
		}
	}
	for _, x := range []struct {
		key string
		dst *nipp.Date
	}{{"recorded_on", &in.RecordedOn}, {"registered_on", &in.RegisteredOn}} {
		if t := strings.TrimSpace(f.Get(x.key)); t != "" {
			d, err := tabular.ParseDate(t)
			if err != nil {
				errs = append(errs, nipp.FieldError(x.key, "err.web.invalid_date_day_month_year"))
			} else {
				*x.dst = nipp.DateOf(d)
			}
		}
	}
	if len(errs) > 0 {
		check := in
		check.Normalize()
		if check.RecordedOn.IsZero() {
			check.RecordedOn = nipp.Today(time.Now())
		}
		errs = append(errs, check.ValidateAll(nipp.Today(time.Now()))...)
		return in, nipp.Join(errs...)
	}
	return in, nil
}

func (s *Server) establishmentCreate(w http.ResponseWriter, r *http.Request) {
	s.establishmentSave(w, r, "")
}

func (s *Server) establishmentUpdate(w http.ResponseWriter, r *http.Request) {
	s.establishmentSave(w, r, r.PathValue("id"))
}

func (s *Server) establishmentSave(w http.ResponseWriter, r *http.Request, id string) {
	r.ParseForm()
	in, err := estForm(r)
	var e *nipp.Establishment
	if err == nil {
		if id == "" {
			e, err = s.app.CreateEstablishment(r.Context(), in)
		} else {
			e, err = s.app.UpdateEstablishment(r.Context(), id, in)
		}
	}
	if err == nil {
		http.Redirect(w, r, "/establishments/"+e.PublicID, http.StatusSeeOther)
		return
	}
	code := nipp.ErrorCode(err)
	if code != nipp.EINVALID && code != nipp.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	title, action := "est.new.title", "/establishments"
	if id != "" {
		title, action = "est.edit.title", "/establishments/"+id
	}
	v := s.estFormPage(r, title, action, id, in)
	v.Refuse(err)
	v.Raw = r.PostForm
	var amb *app.AmbiguousCommuneError
	if asAmbiguous(err, &amb) {
		v.Candidates = amb.Candidates
	}
	s.render(w, r, statusOf(code), "establishment_form", v)
}

func (s *Server) establishmentArchive(w http.ResponseWriter, r *http.Request) {
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if err := confirmed(r); err != nil {
		s.failOnEstablishment(w, r, err)
		return
	}
	if _, err := s.app.ArchiveEstablishment(r.Context(), r.PathValue("id"), version); err != nil {
		s.failOnEstablishment(w, r, err)
		return
	}
	http.Redirect(w, r, "/establishments/"+r.PathValue("id"), http.StatusSeeOther)
}

func (s *Server) establishmentMerge(w http.ResponseWriter, r *http.Request) {
	into := strings.TrimSpace(r.PostFormValue("into"))
	res, err := s.app.MergeEstablishments(r.Context(), r.PathValue("id"), into)
	if err != nil {
		s.failOnEstablishment(w, r, err)
		return
	}
	http.Redirect(w, r, "/establishments/"+url.PathEscape(res.Into.PublicID), http.StatusSeeOther)
}

func (s *Server) establishmentNotDuplicate(w http.ResponseWriter, r *http.Request) {
	if err := s.app.DismissDuplicate(r.Context(), r.PathValue("id")); err != nil {
		s.failOnEstablishment(w, r, err)
		return
	}
	http.Redirect(w, r, "/establishments/"+r.PathValue("id"), http.StatusSeeOther)
}

// MergeDefault is the merge form's first value: the first likely duplicate.
func (v *estView) MergeDefault() string {
	if len(v.D.Duplicates) > 0 {
		return v.D.Duplicates[0].PublicID
	}
	return ""
}
