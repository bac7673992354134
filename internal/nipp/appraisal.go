package nipp

// Appraisal: a round (e.g. the 2026 national plan) has weighted criteria,
// a pass mark and councils; each council has members (appraiser accounts)
// and is assigned projects. Members score every criterion independently
// and may declare a conflict of interest, which excludes their score.

// Scores are kept in hundredths of a point: 7050 = 70.50 points out of 100.

// Criterion is one weighted appraisal criterion of a round.
type Criterion struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Weight   int    `json:"weight"`    // relative weight, > 0
	MaxScore int    `json:"max_score"` // a member scores 0..MaxScore
}

// MemberScore is one member's scores of one project, by criterion id.
type MemberScore struct {
	UserID   int64         `json:"-"`
	Member   string        `json:"member"`
	Scores   map[int64]int `json:"scores"`
	Conflict bool          `json:"conflict"`
	Reason   string        `json:"conflict_reason,omitempty"`
	Weighted int64         `json:"weighted"` // 0..10000, when complete
	Complete bool          `json:"complete"`
}

// WeightedScore returns a member's weighted score in hundredths of a point
// (0..10000) and whether every criterion was scored.
func WeightedScore(criteria []Criterion, scores map[int64]int) (int64, bool) {
	var sumW, acc int64
	for _, c := range criteria {
		s, ok := scores[c.ID]
		if !ok || c.MaxScore <= 0 {
			return 0, false
		}
		sumW += int64(c.Weight)
		// score/max * weight, in hundredths of a point out of 100
		acc += int64(s) * int64(c.Weight) * 10000 / int64(c.MaxScore)
	}
	if sumW == 0 {
		return 0, false
	}
	return acc / sumW, true
}

// Aggregate is a project's appraisal result.
type Aggregate struct {
	Score    int64 `json:"score"`    // hundredths of a point, mean of counted members
	Counted  int   `json:"counted"`  // members whose complete, unconflicted scores count
	Excluded int   `json:"excluded"` // members excluded by a declared conflict
	PassMark int64 `json:"pass_mark"`
	Passed   bool  `json:"passed"`
	Scored   bool  `json:"scored"` // at least one member counted
}

// AggregateScores computes the project's score: the mean of the weighted
// scores of members who scored every criterion and declared no conflict.
func AggregateScores(criteria []Criterion, members []MemberScore, passMark int64) Aggregate {
	ag := Aggregate{PassMark: passMark}
	var sum int64
	for _, m := range members {
		if m.Conflict {
			ag.Excluded++
			continue
		}
		w, ok := WeightedScore(criteria, m.Scores)
		if !ok {
			continue
		}
		sum += w
		ag.Counted++
	}
	if ag.Counted > 0 {
		ag.Score = sum / int64(ag.Counted)
		ag.Scored = true
		ag.Passed = ag.Score >= passMark
	}
	return ag
}

// AppraisalRound is a round of appraisal (e.g. the proposals for 2026).
type AppraisalRound struct {
	ID       int64       `json:"id"`
	Year     int         `json:"year"`
	Name     string      `json:"name"`
	PassMark int64       `json:"pass_mark"` // hundredths of a point
	Criteria []Criterion `json:"criteria"`
	Councils []Council   `json:"councils"`
}

// Council is an appraisal council of a round.
type Council struct {
	ID       int64           `json:"id"`
	RoundID  int64           `json:"round_id"`
	Name     string          `json:"name"`
	Members  []CouncilMember `json:"members"`
	Projects []string        `json:"projects"` // codes
}

// CouncilMember is an appraiser sitting on a council.
type CouncilMember struct {
	UserID int64  `json:"-"`
	Email  string `json:"email"`
	Name   string `json:"name"`
}

// ProjectAppraisal is a project's appraisal: its council, the round's
// criteria, every member's scores and the aggregate.
type ProjectAppraisal struct {
	Round     AppraisalRound `json:"round"`
	CouncilID int64          `json:"council_id"`
	Council   string         `json:"council"`
	Members   []MemberScore  `json:"members"`
	Aggregate Aggregate      `json:"aggregate"`
}

// Validate checks a new round.
func (r *AppraisalRound) Validate() error {
	var errs []*Error
	if r.Name == "" {
		errs = append(errs, FieldError("name", "err.nipp.enter_round_s_name"))
	} else if err := CheckText("name", r.Name, MaxNameLen, false); err != nil {
		errs = append(errs, err)
	}
	if r.Year < 2000 || r.Year > 2100 {
		errs = append(errs, FieldError("year", "err.app.invalid_year"))
	}
	if r.PassMark < 0 || r.PassMark > 10000 {
		errs = append(errs, FieldError("pass_mark", "err.nipp.pass_mark_between_0_100"))
	}
	if len(r.Criteria) == 0 {
		errs = append(errs, FieldError("criteria", "err.nipp.least_one_criterion_needed"))
	}
	seen := map[string]bool{}
	for i, c := range r.Criteria {
		if err := CheckTexts(TextField{"criteria", c.Code, MaxCodeLen, false}, TextField{"criteria", c.Name, MaxNameLen, false}); err != nil {
			errs = append(errs, err)
			break
		}
		if c.Code == "" || c.Name == "" || c.Weight <= 0 || c.MaxScore <= 0 {
			errs = append(errs, FieldError("criteria", "err.nipp.criterion_incomplete", i+1))
			break
		}
		if seen[c.Code] {
			errs = append(errs, FieldError("criteria", "err.nipp.criterion_entered_twice", c.Code))
			break
		}
		seen[c.Code] = true
	}
	return Join(errs...)
}

// OpenRound is an appraisal round still at work: no project assigned yet,
// or some assigned project not yet decided (PendingStates).
type OpenRound struct {
	AppraisalRound
	Assigned int // projects assigned to its councils
	Pending  int // of those, still submitted or under appraisal
}

// Assignment is a project on an appraiser's desk: the council and round,
// and whether this member has scored every criterion or declared a
// conflict.
type Assignment struct {
	ProjectPublicID string
	Code, Title     string
	State           ProjectState
	Round, Council  string
	Criteria        int // criteria of the round
	Scored          int // criteria this member scored
	Conflict        bool
}

// Done reports whether the member has nothing left to do on the project.
func (a Assignment) Done() bool { return a.Conflict || (a.Criteria > 0 && a.Scored >= a.Criteria) }
