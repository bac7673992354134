package nipp

// TEMPORARY: the event seam (issue 17) as it lands on main; this file goes
// at the merge.

type Event interface{ Audit() Audited }

type Audited struct {
	Action   string
	Entity   string
	EntityID string
	Before   any
	After    any
}

type ProjectTransitioned struct {
	Action        string
	Before, After *Project
	Comment       string
}

func (ProjectTransitioned) Audit() Audited { return Audited{} }
