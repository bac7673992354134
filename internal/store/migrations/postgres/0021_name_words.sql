-- Where a word's matches start in the registry's name order (issue 20).
--
-- The registry lists in (name_fold, id) order, and a common word is found
-- by walking the name index, testing each entry, until a page is full. At
-- national scale the first name holding "gom" is the 112,889th: the walk
-- tested 113,000 entries before its first match. establishment_words holds,
-- for every word of every name, a name_fold at or before the first name
-- holding that word (a lower bound: rows are only ever added, when a name
-- sorts before every bound its words have; a deleted or renamed record
-- leaves its bounds, still at or before the first match). A query word
-- (a substring) can only occur inside one word of a name, so its first
-- match is at or after the least bound of the words that contain it, and
-- a query's after the greatest of its words' bounds: the walk starts there.
--
-- Rows are only inserted (ON CONFLICT DO NOTHING), never updated: writers
-- take no lock on a word's row, so concurrent imports do not wait on the
-- words every name shares ("co", "so", "cong", "ty").
CREATE TABLE establishment_words (
    word       TEXT NOT NULL,
    first_fold TEXT NOT NULL,
    PRIMARY KEY (word, first_fold)
);
INSERT INTO establishment_words (word, first_fold)
    SELECT w.word, MIN(e.name_fold) FROM establishments e, unnest(string_to_array(e.name_fold, ' ')) AS w(word)
    WHERE w.word <> '' GROUP BY w.word;
CREATE FUNCTION establishment_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO establishment_words (word, first_fold)
        SELECT w.word, MIN(n.name_fold) FROM new_rows n, unnest(string_to_array(n.name_fold, ' ')) AS w(word)
        WHERE w.word <> ''
        GROUP BY w.word
        HAVING NOT EXISTS (SELECT 1 FROM establishment_words x WHERE x.word = w.word AND x.first_fold <= MIN(n.name_fold))
        ORDER BY w.word
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER establishment_words_i AFTER INSERT ON establishments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION establishment_words_add();
-- A rename, row by row (rare; a statement trigger on every UPDATE would
-- split the names of every status change or duplicate flag).
CREATE FUNCTION establishment_words_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO establishment_words (word, first_fold)
        SELECT DISTINCT w.word, NEW.name_fold FROM unnest(string_to_array(NEW.name_fold, ' ')) AS w(word)
        WHERE w.word <> ''
          AND NOT EXISTS (SELECT 1 FROM establishment_words x WHERE x.word = w.word AND x.first_fold <= NEW.name_fold)
        ORDER BY w.word
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER establishment_words_u AFTER UPDATE OF name_fold ON establishments
    FOR EACH ROW WHEN (OLD.name_fold IS DISTINCT FROM NEW.name_fold)
    EXECUTE FUNCTION establishment_words_rename();
