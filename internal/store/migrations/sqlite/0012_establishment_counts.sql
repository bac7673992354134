-- Lists show their total. Counting the records not archived in a scope
-- (own provinces, published, both, everything) reads these small partial
-- indexes instead of every row of the table.
CREATE INDEX establishments_live_province ON establishments (province_id) WHERE status <> 'archived';
CREATE INDEX establishments_live_published ON establishments (published) WHERE status <> 'archived';
