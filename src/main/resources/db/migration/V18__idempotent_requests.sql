-- Idempotency-Key (message/send, event/push): the first request's answer, kept for 24 h; the same key from the
-- same tenant answers it again instead of accepting the work twice. Written in the accepting write itself.
CREATE TABLE idempotent_request (
    tenant_id     VARCHAR(100)    NOT NULL,
    idem_key      VARCHAR(255)    NOT NULL,
    operation     VARCHAR(40)     NOT NULL,
    request_hash  VARCHAR(64)     NOT NULL,
    answer        VARCHAR(100000) NOT NULL,
    created_at    BIGINT          NOT NULL,
    PRIMARY KEY (tenant_id, idem_key)
);
CREATE INDEX ix_idempotent_request_created ON idempotent_request (created_at);
