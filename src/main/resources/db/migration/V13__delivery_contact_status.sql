-- A contact's callbacks still on its way, by status, in the order they were planned: whether one waits before
-- another, and which comes next, are each one short range of this index (ix_delivery_contact made them read the
-- contact's whole delivered history, row by row).
CREATE INDEX ix_delivery_contact_status ON delivery (contact_id, status, seq);
DROP INDEX ix_delivery_contact;
