-- Delivery search (GET /api/v1/admin/deliveries): a tenant's deliveries newest first, a cursor being the last seq
-- seen, are one range of ix_delivery_tenant_seq (appended to at its tenant's end: no random page per callback). A
-- message's callbacks are found through its contact (ix_delivery_contact_status), not an index of their own: a
-- message id is random, and an index on it would rewrite a random page for every callback planned.
CREATE INDEX ix_delivery_tenant_seq ON delivery (tenant_id, seq DESC);
-- the instance that made an attempt (mehery.cluster.instance-id): which of several gateways called the webhook
ALTER TABLE delivery_attempt ADD COLUMN instance_id VARCHAR(200);
-- A tenant's deliveries paused by its operator (POST /api/v1/admin/deliveries/pause): its callbacks wait, held,
-- without attempts, until they are resumed, in each contact's order.
ALTER TABLE client_webhook ADD COLUMN paused_at BIGINT;
ALTER TABLE client_webhook ADD COLUMN paused_reason VARCHAR(500);
