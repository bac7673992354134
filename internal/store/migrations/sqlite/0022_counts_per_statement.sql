-- PostgreSQL only: its registry totals are kept per statement on insert and
-- delete (see ../postgres/0022_counts_per_statement.sql). SQLite has no
-- statement triggers; its row triggers of 0011 stay.
SELECT 1;
