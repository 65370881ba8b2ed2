-- Searches that match few deliveries deep in the history are index ranges, instead of reading the tenant's deliveries
-- newest first until a page fills (seconds at 1M): a window of creation is a range of ix_delivery_tenant_created,
-- read newest first (by creation, then seq); a class of the last attempt's status code (0: no answer) is a range of
-- ix_attempt_status_class, newest first. Both are appended to at their newest end, as deliveries and attempts come.
ALTER TABLE delivery_attempt ADD COLUMN status_class SMALLINT;
UPDATE delivery_attempt SET status_class = COALESCE(status_code / 100, 0);
ALTER TABLE delivery_attempt ALTER COLUMN status_class SET NOT NULL;
CREATE INDEX ix_delivery_tenant_created ON delivery (tenant_id, created_at DESC, seq DESC);
CREATE INDEX ix_attempt_status_class ON delivery_attempt (status_class, delivery_seq DESC);
