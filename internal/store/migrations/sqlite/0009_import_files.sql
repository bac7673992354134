-- Officers' own files (issue 15). establishments.registered_on: the business
-- registration date ("Ngày đăng ký"), kept apart from recorded_on (when nipp
-- recorded it); NULL when unknown. import_jobs.addresses_as_of: the one date
-- a file's addresses are read at (chosen on import; NULL reads as the day the
-- rows are checked). table_end_row: the last row of the table when rows
-- below it (totals, signatures) were left out, else 0; trailing_rows: how
-- many such rows. noted_rows: imported rows that carry a note in the report
-- (import_rows.errors_json of a valid row holds its notes).
ALTER TABLE establishments ADD COLUMN registered_on DATE;
ALTER TABLE import_jobs ADD COLUMN addresses_as_of DATE;
ALTER TABLE import_jobs ADD COLUMN table_end_row INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN trailing_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN noted_rows INTEGER NOT NULL DEFAULT 0;
