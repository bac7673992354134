package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"nipp/internal/nipp"
)

// Bulk loading (the national-scale demo, docs/ARCHITECTURE.md "National
// scale"). The base tables are written directly, in large multi-row
// statements, with the triggers that keep their derived data switched off;
// the derived data is then built once, by the same statements that rebuild
// it at any time (RebuildEstablishmentCounts, the text indexes' rebuild,
// RebuildLedgerBalances, the progress summaries' repair).

// bulkTables are the tables a bulk load writes whose indexes it drops
// (those no constraint needs) and whose triggers it switches off (SQLite:
// every trigger on them; PostgreSQL: the per-row counters).
var bulkTables = []string{"establishments", "projects", "project_provinces", "budget_lines", "project_beneficiaries", "project_beneficiary_groups"}

// bulkMetaKey marks, in meta, a bulk load in progress on SQLite with the
// triggers it dropped, so that an interrupted load is recognised.
const bulkMetaKey = "bulk_load_triggers"

// bulkCacheKB is the SQLite writer's page cache during a bulk load.
const bulkCacheKB = 96 << 10

// countTriggers keep establishment_counts on insert and delete
// (PostgreSQL, migration 0022); a bulk load rebuilds the totals after.
var countTriggers = []string{"establishment_counts_ins", "establishment_counts_del"}

// BulkLoad runs load with the secondary indexes of the bulk-loaded tables
// dropped and their triggers switched off (a B-tree written in random key
// order past its cache costs a page read per row: at 200,000 rows
// establishments went in at 1,000 a second and falling), then creates the
// indexes again (sorted, once), switches the triggers on and rebuilds what
// they keep: the
// registry's counts, the text indexes (SQLite's FTS5 tables; PostgreSQL's
// trigram indexes are ordinary indexes and stay on) and the change stamp.
// It is meant for an empty database being filled (the national demo): an
// interrupted bulk load on SQLite leaves its triggers dropped, and the next
// BulkLoad refuses that database.
func (db *DB) BulkLoad(ctx context.Context, load func() error) (err error) {
	defer nipp.Wrap(&err, "store.BulkLoad")
	var saved []string
	switch db.dialect {
	case SQLite:
		err = db.WriteTx(ctx, func(tx *Tx) error {
			var pending string
			err := tx.QueryRow(ctx, `SELECT value FROM meta WHERE key = $1`, bulkMetaKey).Scan(&pending)
			if err == nil {
				return fmt.Errorf("an interrupted bulk load left this database without its triggers: load into an empty one")
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			ph := make([]string, len(bulkTables))
			args := make([]any, len(bulkTables))
			for i, t := range bulkTables {
				ph[i], args[i] = fmt.Sprintf("$%d", i+1), t
			}
			// Indexes first (restored before the triggers), then
			// triggers; automatic indexes (UNIQUE constraints, sql NULL)
			// stay.
			rows, err := tx.Query(ctx, `SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL
				AND tbl_name IN (`+strings.Join(ph, ", ")+`) ORDER BY type, name`, args...)
			if err != nil {
				return err
			}
			var names []string
			for rows.Next() {
				var typ, name, text string
				if err := rows.Scan(&typ, &name, &text); err != nil {
					rows.Close()
					return err
				}
				names, saved = append(names, strings.ToUpper(typ)+` "`+name+`"`), append(saved, text)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2)`, bulkMetaKey, strings.Join(saved, ";\n")); err != nil {
				return err
			}
			for _, n := range names {
				if _, err := tx.Exec(ctx, `DROP `+n); err != nil {
					return err
				}
			}
			return nil
		})
	case Postgres:
		err = db.WriteTx(ctx, func(tx *Tx) error {
			rows, err := tx.Query(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
				JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
				WHERE n.nspname = current_schema() AND t.relname = ANY($1)
				AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1`, bulkTables)
			if err != nil {
				return err
			}
			var names []string
			for rows.Next() {
				var name, def string
				if err := rows.Scan(&name, &def); err != nil {
					rows.Close()
					return err
				}
				names, saved = append(names, name), append(saved, def)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, n := range names {
				if _, err := tx.Exec(ctx, `DROP INDEX `+n); err != nil {
					return err
				}
			}
			for _, trig := range countTriggers {
				if _, err := tx.Exec(ctx, `ALTER TABLE establishments DISABLE TRIGGER `+trig); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		return err
	}
	if db.dialect == SQLite {
		// The unique keys (public ids, tax codes) arrive in random order:
		// their indexes stay in the writer's cache for the load.
		// And the WAL is copied into the database every 256 MB rather
		// than every 4 MB, so a page the load keeps changing is copied
		// once per checkpoint, not once per few chunks.
		if err := db.RawExec(ctx, `PRAGMA cache_size = -`+strconv.Itoa(bulkCacheKB)); err != nil {
			return err
		}
		if err := db.RawExec(ctx, `PRAGMA wal_autocheckpoint = 65536`); err != nil {
			return err
		}
		defer func() {
			db.RawExec(ctx, `PRAGMA cache_size = -`+strconv.Itoa(writerCacheKB))
			db.RawExec(ctx, `PRAGMA wal_autocheckpoint = `+strconv.Itoa(walCheckpointPages))
			db.RawExec(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		}()
	}
	loadErr := load()
	switch db.dialect {
	case SQLite:
		err = db.WriteTx(ctx, func(tx *Tx) error {
			for _, text := range saved {
				if _, err := tx.Exec(ctx, text); err != nil {
					return err
				}
			}
			_, err := tx.Exec(ctx, `DELETE FROM meta WHERE key = $1`, bulkMetaKey)
			return err
		})
	case Postgres:
		err = db.WriteTx(ctx, func(tx *Tx) error {
			for _, def := range saved {
				if _, err := tx.Exec(ctx, def); err != nil {
					return err
				}
			}
			for _, trig := range countTriggers {
				if _, err := tx.Exec(ctx, `ALTER TABLE establishments ENABLE TRIGGER `+trig); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if loadErr != nil {
		return loadErr
	}
	if err != nil {
		return err
	}
	return db.RebuildRegistryDerived(ctx)
}

// RebuildRegistryDerived rebuilds, from the base tables, what triggers
// keep: establishment_counts, establishment_words, SQLite's text indexes
// of establishment names and project titles, the projects' states on
// project_provinces, and the projects' and the registry's change stamps
// (moved on, so no result kept before is served again).
func (db *DB) RebuildRegistryDerived(ctx context.Context) error {
	return db.WriteTx(ctx, func(tx *Tx) error {
		// The details' stamp too (migration 0020): a bulk load on SQLite
		// writes no project_stamps, so no detail kept before is served again.
		if _, err := tx.Exec(ctx, `UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0`); err != nil {
			return err
		}
		if err := tx.RebuildEstablishmentCounts(ctx); err != nil {
			return err
		}
		if err := tx.RebuildEstablishmentWords(ctx); err != nil {
			return err
		}
		if tx.Dialect() == SQLite {
			// establishments_fts in its keys' order (province_id << 32 +
			// id, migration 0023): FTS5 writes its pending entries out
			// whenever a key is lower than the last one, and 'rebuild'
			// reads in id order (61 s of CPU at national scale, against
			// 23 s sorted).
			for _, q := range []string{
				`INSERT INTO establishments_fts (establishments_fts) VALUES ('delete-all')`,
				`INSERT INTO establishments_fts (rowid, name_fold) SELECT fts_key, name_fold FROM establishments_fts_rows ORDER BY fts_key`,
				`INSERT INTO projects_fts (projects_fts) VALUES ('rebuild')`,
			} {
				if _, err := tx.Exec(ctx, q); err != nil {
					return err
				}
			}
		}
		// Each project's state on its provinces' rows (migration 0019),
		// which SQLite's triggers keep when they are on.
		if _, err := tx.Exec(ctx, `UPDATE project_provinces SET state = p.state FROM projects p
			WHERE p.id = project_provinces.project_id AND project_provinces.state IS DISTINCT FROM p.state`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE change_stamps SET n = n + 1 WHERE name IN ('projects', 'registry') AND shard = 0`)
		return err
	})
}

// RebuildEstablishmentWords recomputes establishment_words (migration
// 0021) from the establishments: each word of a name with the first name
// holding it.
func (tx *Tx) RebuildEstablishmentWords(ctx context.Context) (err error) {
	defer nipp.Wrap(&err, "store.RebuildEstablishmentWords")
	if _, err := tx.Exec(ctx, `DELETE FROM establishment_words`); err != nil {
		return err
	}
	fill := []string{`INSERT INTO establishment_words (word, first_fold)
		SELECT w.word, MIN(e.name_fold) FROM establishments e, unnest(string_to_array(e.name_fold, ' ')) AS w(word)
		WHERE w.word <> '' GROUP BY w.word`}
	if tx.Dialect() == SQLite {
		fill = []string{`INSERT INTO establishment_words (word, first_fold)
		SELECT j.value, MIN(e.name_fold) FROM establishments e, json_each(CASE WHEN e.name_fold GLOB '*[^a-z0-9 ]*' THEN '[]' ELSE '["' || replace(e.name_fold, ' ', '","') || '"]' END) j
		WHERE j.value <> ''
		GROUP BY j.value`, `INSERT INTO establishment_words (word, first_fold)
		SELECT '', MIN(name_fold) FROM establishments WHERE name_fold GLOB '*[^a-z0-9 ]*' HAVING COUNT(*) > 0`}
	}
	for _, q := range fill {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// RebuildEstablishmentCounts recomputes establishment_counts from the
// establishments (what its triggers keep row by row), all in shard 0.
func (tx *Tx) RebuildEstablishmentCounts(ctx context.Context) (err error) {
	defer nipp.Wrap(&err, "store.RebuildEstablishmentCounts")
	if _, err := tx.Exec(ctx, `DELETE FROM establishment_counts`); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO establishment_counts (province_id, status, published, review_duplicate, shard, n)
		SELECT province_id, status, published, review_duplicate, 0, COUNT(*) FROM establishments
		GROUP BY province_id, status, published, review_duplicate`)
	return err
}
