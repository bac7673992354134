package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"nipp/internal/nipp"
)

// A project's detail read at once (issue 20; docs/ARCHITECTURE.md "The
// first read of a detail"). The first read of a detail ran six statements
// in a transaction: on PostgreSQL eight round trips, each a wake-up of the
// server's backend and of nipp's connection, about 3 ms of the server's
// CPU a detail with 32 clients (against 1 ms for the statements' own
// work). ReadProjectDetail runs the same statements, each keyed by the
// public id, so that none needs what another read: SQLite runs them one
// after the other in a read transaction, PostgreSQL sends them at once,
// between BEGIN and COMMIT, in one round trip (a pipeline).

// ProjectDetail is what ReadProjectDetail reads, in one snapshot.
type ProjectDetail struct {
	Stamp       DetailStamp
	Project     *nipp.Project // with its provinces, lines and beneficiaries
	Events      []nipp.ProjectEvent
	Attachments []nipp.Attachment
	// Assigned reports that the project is assigned to an appraisal
	// council: its appraisal is not read here (FindProjectAppraisal).
	Assigned bool
}

// stmt is one statement of a read and what reads each of its rows.
type stmt struct {
	query string
	args  []any
	row   func(scan func(...any) error) error
}

// projectIDOf is the SQL expression of the id of the project whose public
// id is $1.
const projectIDOf = `(SELECT id FROM projects WHERE public_id = $1)`

// detailStampSQL reads a project's detail stamp ($1: its public id).
const detailStampSQL = `SELECT p.id, CAST(COALESCE(ps.n, 0) AS BIGINT),
	(SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM change_stamps c WHERE c.name = 'details')
	FROM projects p LEFT JOIN project_stamps ps ON ps.project_id = p.id WHERE p.public_id = $1`

// ReadProjectDetail reads the detail of the project with a public id and
// its stamp in one snapshot, on the replica, or on the primary when
// primary is set (as ReadPrimaryTx); ENOTFOUND when there is none.
func (db *DB) ReadProjectDetail(ctx context.Context, publicID string, primary bool) (_ *ProjectDetail, err error) {
	defer nipp.Wrap(&err, "store.ReadProjectDetail(%q)", publicID)
	d := &ProjectDetail{}
	found := false
	var p *nipp.Project
	key := []any{publicID}
	// ofProject reads a row of a part into the project the statement
	// before read.
	ofProject := func(read func(*nipp.Project) func(scan func(...any) error) error) func(scan func(...any) error) error {
		return func(scan func(...any) error) error {
			if p == nil {
				return fmt.Errorf("a project's part before the project")
			}
			return read(p)(scan)
		}
	}
	stmts := []stmt{
		{detailStampSQL, key, func(scan func(...any) error) error {
			found = true
			return scan(&d.Stamp.ProjectID, &d.Stamp.Project, &d.Stamp.Shared)
		}},
		{projectByPublicIDSQL, key, projectRow(&p)},
		{projectLinesSQL(projectIDOf), key, ofProject(projectLineRow)},
		{projectBeneficiariesSQL(projectIDOf), key, ofProject(projectBeneficiaryRow)},
		{historySQL(projectIDOf), key, historyRow(&d.Events, &d.Attachments)},
		{`SELECT 1 FROM appraisal_assignments WHERE project_id = ` + projectIDOf, key, func(scan func(...any) error) error {
			d.Assigned = true
			var one int
			return scan(&one)
		}},
	}
	pool := db.replica
	if primary {
		pool = db.read
	}
	if db.dialect == Postgres {
		err = db.pipeline(ctx, pool, stmts)
	} else {
		err = db.runTx(ctx, pool, false, func(tx *Tx) error {
			for _, s := range stmts {
				if err := tx.each(ctx, s.query, s.args, s.row); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		return nil, err
	}
	if !found || p == nil {
		return nil, notFoundOr(sql.ErrNoRows, "project")
	}
	p.Groups = nipp.CountGroups(p.Beneficiaries)
	d.Project = p
	return d, nil
}

// pipeline runs read statements on PostgreSQL in one repeatable-read,
// read-only transaction sent in one round trip (BEGIN, the statements,
// COMMIT), reading each statement's rows with its row function in turn.
// A statement's rows may not depend on another's: none is run until all
// are sent.
func (db *DB) pipeline(ctx context.Context, pool *sql.DB, stmts []stmt) error {
	c, err := pool.Conn(ctx)
	if err != nil {
		return mapError(fmt.Errorf("begin: %w", err))
	}
	defer c.Close()
	return c.Raw(func(dc any) (err error) {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("pipeline: a connection of type %T", dc)
		}
		conn := sc.Conn()
		defer func() {
			// A statement that failed leaves the transaction open and
			// aborted (the server skips to the end of the pipeline, COMMIT
			// included): end it before the connection goes back.
			if conn.PgConn().TxStatus() != 'I' {
				if _, rerr := conn.Exec(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil && err == nil {
					err = rerr
				}
			}
		}()
		b := &pgx.Batch{}
		b.Queue("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
		for _, s := range stmts {
			if h := db.hook.Load(); h != nil {
				(*h)(s.query, s.args)
			}
			b.Queue(s.query, s.args...)
		}
		b.Queue("COMMIT")
		br := conn.SendBatch(ctx, b)
		defer func() {
			if cerr := br.Close(); cerr != nil && err == nil {
				err = mapError(cerr)
			}
		}()
		if _, err := br.Exec(); err != nil {
			return mapError(err)
		}
		for _, s := range stmts {
			rows, err := br.Query()
			if err != nil {
				return mapError(err)
			}
			for rows.Next() {
				if err := s.row(rows.Scan); err != nil {
					rows.Close()
					return mapError(err)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return mapError(err)
			}
		}
		if _, err := br.Exec(); err != nil { // COMMIT
			return mapError(err)
		}
		return nil
	})
}
