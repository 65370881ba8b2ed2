-- Recoveries of a time range (POST /api/v1/admin/deliveries/recover): every dead (or every undelivered) callback
-- of a tenant planned between from_at and to_at, delivered again with its own webhook-id, a batch at a time while
-- the tenant's live callbacks leave room. cursor_at is the planning time the recovery has reached: any instance may
-- take the next batch, and only the one that moves the cursor from where it saw it does.
CREATE TABLE delivery_recovery (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    tenant_id     VARCHAR(100)  NOT NULL,
    scope         VARCHAR(20)   NOT NULL,
    from_at       BIGINT        NOT NULL,
    to_at         BIGINT        NOT NULL,
    state         VARCHAR(20)   NOT NULL,
    total         BIGINT        NOT NULL,
    recovered     BIGINT        NOT NULL,
    cursor_at     BIGINT        NOT NULL,
    created_at    BIGINT        NOT NULL,
    updated_at    BIGINT        NOT NULL,
    finished_at   BIGINT
);
CREATE INDEX ix_delivery_recovery_state ON delivery_recovery (state);
CREATE INDEX ix_delivery_recovery_tenant ON delivery_recovery (tenant_id, created_at);
