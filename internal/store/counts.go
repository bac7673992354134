package store

import "context"

// CompactEstablishmentCounts folds PostgreSQL's per-connection rows of
// establishment_counts (each connection adds to rows of its own, shard =
// its server process id, so that writers never wait on a shared counter)
// into shard 0, so counts keep summing a few hundred rows, and the change
// stamps' rows likewise. It changes no total nor stamp and may run while
// others write, on any node. SQLite keeps one row
// per combination already: nothing to do.
func (db *DB) CompactEstablishmentCounts(ctx context.Context) error {
	if db.dialect != Postgres {
		return nil
	}
	return db.WriteTx(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `WITH moved AS (
				DELETE FROM establishment_counts WHERE shard <> 0
				RETURNING province_id, status, published, review_duplicate, n)
			INSERT INTO establishment_counts AS c (province_id, status, published, review_duplicate, shard, n)
			SELECT province_id, status, published, review_duplicate, 0, SUM(n) FROM moved
			GROUP BY province_id, status, published, review_duplicate
			ON CONFLICT (province_id, status, published, review_duplicate, shard) DO UPDATE SET n = c.n + EXCLUDED.n`); err != nil {
			return err
		}
		// Only compaction writes shard 0: its empty combinations can go.
		if _, err := tx.Exec(ctx, `DELETE FROM establishment_counts WHERE shard = 0 AND n = 0`); err != nil {
			return err
		}
		// The change stamps' per-connection rows likewise (migrations
		// 0013, 0020, 0025): each stamp is the sum of its rows, moved in
		// one statement, so no reader sees it change.
		_, err := tx.Exec(ctx, `WITH moved AS (
				DELETE FROM change_stamps WHERE shard <> 0 RETURNING name, n)
			INSERT INTO change_stamps AS c (name, shard, n)
			SELECT name, 0, SUM(n) FROM moved GROUP BY name
			ON CONFLICT (name, shard) DO UPDATE SET n = c.n + EXCLUDED.n`)
		return err
	})
}
