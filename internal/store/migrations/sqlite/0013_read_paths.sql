-- Read paths at national scale (issue 20).
--
-- Duplicates review: the flagged records in the list's order (name_fold,
-- id), nationwide and per province, so a page reads one page of index
-- entries instead of every flagged record sorted. The list writes the
-- condition as the index does (review_duplicate = 1, not a bound
-- parameter), so that the planner can use them.
DROP INDEX establishments_review;
CREATE INDEX establishments_review ON establishments (province_id, name_fold, id) WHERE review_duplicate = 1;
CREATE INDEX establishments_review_fold ON establishments (name_fold, id) WHERE review_duplicate = 1;

-- Project title search: an FTS5 index of trigrams over title_fold (words
-- without diacritics found anywhere in the title), kept in sync by triggers
-- like establishments_fts.
CREATE VIRTUAL TABLE projects_fts USING fts5(title_fold, content='projects', content_rowid='id', tokenize='trigram');
INSERT INTO projects_fts (rowid, title_fold) SELECT id, title_fold FROM projects;
CREATE TRIGGER projects_fts_ai AFTER INSERT ON projects BEGIN
    INSERT INTO projects_fts (rowid, title_fold) VALUES (new.id, new.title_fold);
END;
CREATE TRIGGER projects_fts_ad AFTER DELETE ON projects BEGIN
    INSERT INTO projects_fts (projects_fts, rowid, title_fold) VALUES ('delete', old.id, old.title_fold);
END;
CREATE TRIGGER projects_fts_au AFTER UPDATE OF title_fold ON projects BEGIN
    INSERT INTO projects_fts (projects_fts, rowid, title_fold) VALUES ('delete', old.id, old.title_fold);
    INSERT INTO projects_fts (rowid, title_fold) VALUES (new.id, new.title_fold);
END;
