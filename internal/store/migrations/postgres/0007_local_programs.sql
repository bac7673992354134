-- Local industry promotion programs (level 'local', one province) beside the
-- national ones: optimistic concurrency for edits, the approving body in
-- English beside the Vietnamese (approved_by), and the list order.
ALTER TABLE programs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE programs ADD COLUMN approved_by_en TEXT NOT NULL DEFAULT '';
CREATE INDEX programs_level_province ON programs (level, province_id, start_year);
