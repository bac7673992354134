package store

import (
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"hash/maphash"
	"reflect"
	"sync/atomic"
)

// SQLite's driver prepares every statement it runs and finalizes it after
// (parsing and planning each time: on a list request that is most of the
// database's work). PostgreSQL's driver (pgx) already keeps each
// connection's statements prepared by text. This gives SQLite the same:
// each connection keeps its most recently used statements prepared, keyed by
// their SQL text, and runs them again with new arguments.
//
// A statement is reused only when it is idle: a second query with the same
// text while the first one's rows are still open (a nested loop in one
// transaction) gets a statement of its own, prepared and finalized as
// before. Scripts (several statements in one text, migrations) are not
// kept.

// stmtCacheSize is how many statements each SQLite connection keeps
// prepared (a statement holds a few KB of the engine's memory).
const stmtCacheSize = 128

// maxCachedSQL is the longest statement text kept prepared: the import's
// INSERT of estInsertBatch establishments (about 48 KB of text; its program
// about half a megabyte, on the writer's connection only) is parsed once.
// A text over longSQL is kept only when the connection ran the same text
// before: lookups by lists of keys have a text per list length, each used
// once, and kept (128 a connection, each a large program) they took an
// import of 2,000,000 rows from 190 MB to 250 MB resident.
const (
	maxCachedSQL = 64 << 10
	longSQL      = 16 << 10
)

// seenLongSize bounds the long texts a connection remembers having run.
const seenLongSize = 64

// sqliteConn is what database/sql uses of a SQLite connection.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.QueryerContext
	driver.ExecerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// cachingConnector opens SQLite connections that keep their statements.
type cachingConnector struct {
	drv      driver.Driver
	dsn      string
	prepares *atomic.Int64 // counts every statement parsed
}

func (c cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(sqliteConn)
	if !ok {
		conn.Close()
		return nil, errors.New("store: the SQLite driver's connection lacks an interface the statement cache needs")
	}
	return &cachingConn{sqliteConn: sc, stmts: map[string]*cachedStmt{}, prepares: c.prepares}, nil
}

func (c cachingConnector) Driver() driver.Driver { return c.drv }

// openSQLitePool opens a database/sql pool on the SQLite driver whose
// connections keep their statements prepared.
func openSQLitePool(prepares *atomic.Int64, dsn string) (*sql.DB, error) {
	probe, err := sql.Open("sqlite", dsn) // only to reach the registered driver
	if err != nil {
		return nil, err
	}
	drv := probe.Driver()
	probe.Close()
	return sql.OpenDB(cachingConnector{drv: drv, dsn: dsn, prepares: prepares}), nil
}

type cachedStmt struct {
	query string
	stmt  driver.Stmt
	busy  bool // its rows are open
	elem  *list.Element
}

// cachingConn is a SQLite connection with its prepared statements.
// database/sql uses a connection from one goroutine at a time.
type cachingConn struct {
	sqliteConn
	stmts map[string]*cachedStmt
	lru   list.List // of *cachedStmt, most recently used first
	// prepared counts the statements this connection prepared (for tests
	// of the cache); prepares, the pool's, every statement parsed.
	prepared int64
	prepares *atomic.Int64
	// seenLong holds the hashes of long texts run once, not kept.
	seenLong map[uint64]bool
}

var longSeed = maphash.MakeSeed()

// stmtFor returns the idle prepared statement for query, preparing it when
// it is not kept yet; nil when the query must run on its own (too long,
// or the kept statement is busy).
func (c *cachingConn) stmtFor(ctx context.Context, query string) (*cachedStmt, error) {
	if len(query) > maxCachedSQL {
		return nil, nil
	}
	if cs := c.stmts[query]; cs != nil {
		if cs.busy {
			return nil, nil
		}
		c.lru.MoveToFront(cs.elem)
		return cs, nil
	}
	if len(query) > longSQL {
		h := maphash.String(longSeed, query)
		if !c.seenLong[h] {
			if c.seenLong == nil || len(c.seenLong) >= seenLongSize {
				c.seenLong = map[uint64]bool{}
			}
			c.seenLong[h] = true
			return nil, nil
		}
		delete(c.seenLong, h)
	}
	st, err := c.sqliteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.prepared++
	c.prepares.Add(1)
	_, q := st.(driver.StmtQueryContext)
	_, e := st.(driver.StmtExecContext)
	if !q || !e {
		st.Close()
		return nil, nil
	}
	cs := &cachedStmt{query: query, stmt: st}
	cs.elem = c.lru.PushFront(cs)
	c.stmts[query] = cs
	c.evict()
	return cs, nil
}

// evict finalizes the least recently used idle statements over the limit.
func (c *cachingConn) evict() {
	for e := c.lru.Back(); e != nil && len(c.stmts) > stmtCacheSize; {
		prev := e.Prev()
		if cs := e.Value.(*cachedStmt); !cs.busy {
			c.lru.Remove(e)
			delete(c.stmts, cs.query)
			cs.stmt.Close()
		}
		e = prev
	}
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.stmtFor(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		c.prepares.Add(1)
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	rows, err := cs.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: rows, cs: cs}, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.stmtFor(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		c.prepares.Add(1)
		return c.sqliteConn.ExecContext(ctx, query, args)
	}
	return cs.stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

// Close finalizes the kept statements, then closes the connection.
func (c *cachingConn) Close() error {
	for _, cs := range c.stmts {
		cs.stmt.Close()
	}
	c.stmts = nil
	c.lru.Init()
	return c.sqliteConn.Close()
}

// cachedRows gives its statement back when closed.
type cachedRows struct {
	driver.Rows
	cs *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.cs.busy = false
	return err
}

// ColumnTypeDatabaseTypeName and ColumnTypeScanType pass on what the
// driver's rows tell (database/sql's ColumnTypes).
func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}
