-- Lists show their total. Counting the records not archived in a scope
-- (own provinces; other provinces' published ones; everything) reads these
-- covering indexes instead of every row of the table.
CREATE INDEX establishments_count_province ON establishments (province_id, status);
CREATE INDEX establishments_count_published ON establishments (published, province_id, status);
