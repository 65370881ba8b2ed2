-- Pending callbacks by when they are due: the recovery of callbacks whose order went missing looks them up.
CREATE INDEX ix_delivery_status_due ON delivery (status, next_attempt_at);
