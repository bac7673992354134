-- Read paths at national scale (issue 20).
--
-- Duplicates review: the flagged records in the list's order (name_fold,
-- id), nationwide and per province, so a page reads one page of index
-- entries instead of every flagged record sorted. The list writes the
-- condition as a constant (a generic plan cannot use a partial index for a
-- parameter).
DROP INDEX establishments_review;
CREATE INDEX establishments_review ON establishments (province_id, name_fold, id) WHERE review_duplicate;
CREATE INDEX establishments_review_fold ON establishments (name_fold, id) WHERE review_duplicate;

-- Project title search: pg_trgm (migration 0005) over title_fold, so words
-- without diacritics found anywhere in the title use an index.
CREATE INDEX projects_title_trgm ON projects USING gin (title_fold gin_trgm_ops);
