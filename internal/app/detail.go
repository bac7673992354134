package app

import (
	"context"
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

// detailCacheSize bounds the kept details (a detail with its encodings is
// a few KB).
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

// KeptDetail is a project's detail as the database held it at one stamp:
// the project, its history, attachments and appraisal with every member's
// scores, and its pinned rule set. It is shared by every caller and never
// changed; ProjectViews made from it share its parts.
type KeptDetail struct {
	stamp store.DetailStamp
	base  ProjectView
	rs    *nipp.RuleSet

	mu  sync.Mutex
	enc map[string][]byte
}

// Encoded returns the encoding kept under variant, else computes it with
// encode and keeps it. The caller names in variant everything the encoded
// answer holds that is not the kept detail's (what differs by user).
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

// KeptProject returns what Project returns, from the detail kept at the
// project's current stamp (read now), and that detail in v.Kept, whose
// encodings the caller may keep (KeptDetail.Encoded). The view shares the
// kept parts: callers must not change it.
func (a *App) KeptProject(ctx context.Context, publicID string) (_ *ProjectView, err error) {
	defer nipp.Wrap(&err, "app.KeptProject(%q)", publicID)
	p, err := authorize(ctx, nipp.PermProjectRead)
	if err != nil {
		return nil, err
	}
	var st store.DetailStamp
	err = a.readStatement(ctx, func(tx *store.Tx) (err error) { st, err = tx.ProjectDetailStamp(ctx, publicID); return err })
	if nipp.ErrorCode(err) == nipp.ENOTFOUND {
		return nil, projectNotFound()
	}
	if err != nil {
		return nil, err
	}
	k := a.details.get(publicID, st)
	if k == nil {
		if k, err = a.readDetail(ctx, publicID); err != nil {
			return nil, err
		}
		a.details.put(publicID, k)
	}
	// Who may see it, as loadProject decides: an appraiser's council is
	// asked of the database, every other rule reads the project's
	// provinces and publication, kept at the stamp just read.
	ok, err := visibleBy(p, k.base.Project, func() (ok bool, err error) {
		err = a.readStatement(ctx, func(tx *store.Tx) (err error) {
			ok, err = tx.IsProjectAppraiser(ctx, k.base.Project.ID, p.UserID)
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
	v := personalView(p, &k.base, k.rs)
	v.Kept = k
	return v, nil
}

// readDetail reads a project's detail and its stamp in one snapshot, for
// everyone (no visibility check: the caller applies it).
func (a *App) readDetail(ctx context.Context, publicID string) (*KeptDetail, error) {
	k := &KeptDetail{}
	err := a.read(ctx, func(tx *store.Tx) (err error) {
		if k.stamp, err = tx.ProjectDetailStamp(ctx, publicID); err != nil {
			return err
		}
		v := &k.base
		if v.Project, err = tx.FindProjectByPublicID(ctx, publicID); err != nil {
			return err
		}
		if v.Events, v.Attachments, err = tx.FindProjectHistoryAndAttachments(ctx, v.Project.ID); err != nil {
			return err
		}
		v.Appraisal, err = tx.FindProjectAppraisal(ctx, v.Project.ID)
		if nipp.ErrorCode(err) == nipp.ENOTFOUND {
			v.Appraisal, err = nil, nil
		}
		if err != nil {
			return err
		}
		k.rs, err = pinnedRuleSet(ctx, tx, v.Project)
		return err
	})
	if nipp.ErrorCode(err) == nipp.ENOTFOUND {
		return nil, projectNotFound()
	}
	return k, err
}
