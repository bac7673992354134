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
-- Names are split on spaces through json_each (name_fold holds a-z, 0-9
-- and single spaces); a name_fold with anything else is recorded under the
-- word '' (a bound for every query word).
CREATE TABLE establishment_words (
    word       TEXT NOT NULL,
    first_fold TEXT NOT NULL,
    PRIMARY KEY (word, first_fold)
) WITHOUT ROWID;
INSERT INTO establishment_words (word, first_fold)
    SELECT j.value, MIN(e.name_fold) FROM establishments e, json_each(CASE WHEN e.name_fold GLOB '*[^a-z0-9 ]*' THEN '[]' ELSE '["' || replace(e.name_fold, ' ', '","') || '"]' END) j
    WHERE j.value <> ''
    GROUP BY j.value;
INSERT INTO establishment_words (word, first_fold)
    SELECT '', MIN(name_fold) FROM establishments WHERE name_fold GLOB '*[^a-z0-9 ]*' HAVING COUNT(*) > 0;
CREATE TRIGGER establishment_words_ai AFTER INSERT ON establishments BEGIN
    INSERT INTO establishment_words (word, first_fold)
        SELECT DISTINCT j.value, NEW.name_fold
        FROM json_each(CASE WHEN NEW.name_fold GLOB '*[^a-z0-9 ]*' THEN '[""]' ELSE '["' || replace(NEW.name_fold, ' ', '","') || '"]' END) j
        WHERE (j.value <> '' OR NEW.name_fold GLOB '*[^a-z0-9 ]*')
          AND NOT EXISTS (SELECT 1 FROM establishment_words x WHERE x.word = j.value AND x.first_fold <= NEW.name_fold);
END;
CREATE TRIGGER establishment_words_au AFTER UPDATE OF name_fold ON establishments WHEN NEW.name_fold IS NOT OLD.name_fold BEGIN
    INSERT INTO establishment_words (word, first_fold)
        SELECT DISTINCT j.value, NEW.name_fold
        FROM json_each(CASE WHEN NEW.name_fold GLOB '*[^a-z0-9 ]*' THEN '[""]' ELSE '["' || replace(NEW.name_fold, ' ', '","') || '"]' END) j
        WHERE (j.value <> '' OR NEW.name_fold GLOB '*[^a-z0-9 ]*')
          AND NOT EXISTS (SELECT 1 FROM establishment_words x WHERE x.word = j.value AND x.first_fold <= NEW.name_fold);
END;
