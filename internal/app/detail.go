package app

import (
	"bytes"
	"context"
	"slices"
	"sync"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// Kept details (issue 20; docs/ARCHITECTURE.md "Read paths at national
// scale"). KeptProject answers what Project answers, reading the project's
// detail once per version: the project's detail stamp
// (store.ProjectDetailStamp, migration 0020) is read by one statement on
// every call and the detail kept with the same stamp is used, else it is
// read again, with its stamp, in one snapshot. What is kept is data only,
// the same for everyone: every call still authorizes the principal, checks
// that they may see the project (an unpublished project of another
// province answers exactly as a missing one), and works out what differs
// by user (the actions they may take, an appraiser's own scores) from the
// kept data, as Project does from the data it reads.

// detailCacheSize bounds the kept details (about 4 KB each once encoded:
// 16 MB at most).
const detailCacheSize = 4096

// detailVariants bounds the encodings kept per detail (one per set of
// allowed actions and appraisal view: a handful of roles).
const detailVariants = 8

type detailCache struct {
	mu sync.Mutex
	m  map[string]*KeptDetail // by public id
	// ruleSets are the kept details' rule sets, one copy per id (a loaded
	// rule set never changes; the store's copies are 3 KB each).
	ruleSets map[int64]*nipp.RuleSet
}

// KeptDetail is a project's detail as the database held it at one stamp,
// shared by every caller and never changed. Until its parts are encoded
// (Parts) it holds the whole detail; then only what the per-user part
// reads (the project without its lists, the appraisal, the pinned rule
// set), the encoded parts and the encoded answers (about 4 KB in all,
// against 8 KB for the whole detail).
type KeptDetail struct {
	stamp     store.DetailStamp
	facts     *nipp.Project // only what the per-user part reads
	appraisal *nipp.ProjectAppraisal
	rs        *nipp.RuleSet

	mu    sync.Mutex
	base  *ProjectView // until Parts
	parts []byte
	enc   map[string][]byte
}

// newKeptDetail keeps base (a project with its history, attachments and
// appraisal with every member) read at stamp st.
func newKeptDetail(st store.DetailStamp, base *ProjectView, rs *nipp.RuleSet) *KeptDetail {
	// What the per-user part reads of the project: visibleBy (publication,
	// provinces), nipp.AllowedTransitions (state, provinces, program
	// level under the rule set) and editing (state, provinces).
	// TestProjectDetailFollowsChanges compares the result with Project's.
	p := base.Project
	facts := &nipp.Project{ID: p.ID, PublicID: p.PublicID, ProgramLevel: p.ProgramLevel, ProvinceCode: p.ProvinceCode,
		Provinces: p.Provinces, State: p.State, RuleSetID: p.RuleSetID, Published: p.Published}
	return &KeptDetail{stamp: st, facts: facts, appraisal: base.Appraisal, rs: rs, base: base}
}

// Parts returns the encoding of what the detail shows to everyone alike
// (the project, its history and attachments), made once by encode from
// the whole detail, which is then no longer kept: the caller may keep it
// compressed.
func (k *KeptDetail) Parts(encode func(base *ProjectView) ([]byte, error)) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.parts != nil {
		return k.parts, nil
	}
	b, err := encode(k.base)
	if err != nil {
		return nil, err
	}
	k.parts, k.base = slices.Clip(bytes.Clone(b)), nil // only its length kept
	return k.parts, nil
}

// Encoded returns the encoding kept under variant, else computes it with
// encode and keeps it. The caller names in variant everything the encoded
// answer holds that is not the same for everyone (what differs by user).
func (k *KeptDetail) Encoded(variant string, encode func() ([]byte, error)) ([]byte, error) {
	k.mu.Lock()
	b, ok := k.enc[variant]
	k.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := encode()
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	if k.enc == nil {
		k.enc = map[string][]byte{}
	}
	if len(k.enc) < detailVariants {
		k.enc[variant] = b
	}
	k.mu.Unlock()
	return b, nil
}

// KeptView is what KeptProject returns: the part of a project's detail
// that depends on the principal, worked out now, and the kept detail.
type KeptView struct {
	Allowed   []nipp.TransitionRule  // transitions the principal may apply now
	Appraisal *nipp.ProjectAppraisal // as the principal sees it; nil before a council
	CanEdit   bool
	CanScore  bool
	Detail    *KeptDetail
}

func (c *detailCache) has(publicID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[publicID] != nil
}

func (c *detailCache) get(publicID string, st store.DetailStamp) *KeptDetail {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k := c.m[publicID]; k != nil && k.stamp == st {
		return k
	}
	return nil
}

func (c *detailCache) put(publicID string, k *KeptDetail) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m, c.ruleSets = map[string]*KeptDetail{}, map[int64]*nipp.RuleSet{}
	}
	if k.rs != nil {
		if rs, ok := c.ruleSets[k.rs.ID]; ok {
			k.rs = rs
		} else if len(c.ruleSets) < detailCacheSize {
			c.ruleSets[k.rs.ID] = k.rs
		}
	}
	if _, ok := c.m[publicID]; !ok && len(c.m) >= detailCacheSize {
		for id := range c.m { // drop any one: the map's order is random
			delete(c.m, id)
			break
		}
	}
	c.m[publicID] = k
}

// KeptProject answers as Project does, from the detail kept at the
// project's current stamp (read now): the same errors, and in the view the
// principal's part (allowed actions, the appraisal as they see it, whether
// they may edit or score) beside the kept detail, whose encodings the
// caller may keep (KeptDetail.Parts, Encoded).
func (a *App) KeptProject(ctx context.Context, publicID string) (_ *KeptView, err error) {
	defer nipp.Wrap(&err, "app.KeptProject(%q)", publicID)
	p, err := authorize(ctx, nipp.PermProjectRead)
	if err != nil {
		return nil, err
	}
	// The stamp, when a detail of the project is kept (else the detail is
	// read at once, with its stamp).
	var k *KeptDetail
	if rs, ok := ctx.Value(readStampKey{}).(readStamp); ok && rs.publicID == publicID {
		// Read with the token (AuthenticateTokenForProject).
		if rs.stamp == nil {
			return nil, projectNotFound()
		}
		k = a.details.get(publicID, *rs.stamp)
	} else if a.details.has(publicID) {
		var st store.DetailStamp
		err = a.readStatement(ctx, func(tx *store.Tx) (err error) { st, err = tx.ProjectDetailStamp(ctx, publicID); return err })
		if nipp.ErrorCode(err) == nipp.ENOTFOUND {
			return nil, projectNotFound()
		}
		if err != nil {
			return nil, err
		}
		k = a.details.get(publicID, st)
	}
	if k == nil {
		if k, err = a.readDetail(ctx, publicID); err != nil {
			return nil, err
		}
		a.details.put(publicID, k)
	}
	// Who may see it, as loadProject decides: an appraiser's council is
	// asked of the database, every other rule reads the project's
	// provinces and publication, kept at the stamp just read.
	ok, err := visibleBy(p, k.facts, func() (ok bool, err error) {
		err = a.readStatement(ctx, func(tx *store.Tx) (err error) {
			ok, err = tx.IsProjectAppraiser(ctx, k.facts.ID, p.UserID)
			return err
		})
		return ok, err
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, projectNotFound()
	}
	v := personalView(p, &ProjectView{Project: k.facts, Appraisal: k.appraisal}, k.rs)
	return &KeptView{Allowed: v.Allowed, Appraisal: v.Appraisal, CanEdit: v.CanEdit, CanScore: v.CanScore, Detail: k}, nil
}

// readDetail reads a project's detail and its stamp in one snapshot, for
// everyone (no visibility check: the caller applies it): at once
// (store.ReadProjectDetail: one round trip to PostgreSQL), and, for a
// project assigned to an appraisal council, with its appraisal in a read
// transaction (readDetailTx).
func (a *App) readDetail(ctx context.Context, publicID string) (*KeptDetail, error) {
	d, err := a.db.ReadProjectDetail(ctx, publicID, ReadsOwnWrites(ctx))
	if nipp.ErrorCode(err) == nipp.ENOTFOUND {
		return nil, projectNotFound()
	}
	if err != nil {
		return nil, err
	}
	if d.Assigned {
		return a.readDetailTx(ctx, publicID)
	}
	var rs *nipp.RuleSet
	if d.Project.RuleSetID != 0 {
		if rs, err = a.db.RuleSetByID(ctx, d.Project.RuleSetID, ReadsOwnWrites(ctx)); err != nil {
			return nil, err
		}
	}
	return newKeptDetail(d.Stamp, &ProjectView{Project: d.Project, Events: d.Events, Attachments: d.Attachments}, rs), nil
}

// readDetailTx reads a project's detail with its appraisal and its stamp
// in one read transaction.
func (a *App) readDetailTx(ctx context.Context, publicID string) (*KeptDetail, error) {
	var st store.DetailStamp
	v := &ProjectView{}
	var rs *nipp.RuleSet
	err := a.read(ctx, func(tx *store.Tx) (err error) {
		if st, err = tx.ProjectDetailStamp(ctx, publicID); err != nil {
			return err
		}
		if v.Project, err = tx.FindProjectByPublicID(ctx, publicID); err != nil {
			return err
		}
		rs, err = readProjectParts(ctx, tx, v)
		return err
	})
	if nipp.ErrorCode(err) == nipp.ENOTFOUND {
		return nil, projectNotFound()
	}
	if err != nil {
		return nil, err
	}
	return newKeptDetail(st, v, rs), nil
}
