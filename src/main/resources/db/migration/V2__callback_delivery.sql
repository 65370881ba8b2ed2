-- Callbacks to the client webhooks. A delivery is one callback of one event; its id is the Standard Webhooks
-- webhook-id, the same on every attempt and replay. Its payload is rendered at the first attempt and kept.

CREATE TABLE delivery (
    id                VARCHAR(40)      NOT NULL PRIMARY KEY,
    tenant_id         VARCHAR(100)     NOT NULL,
    kind              VARCHAR(20)      NOT NULL,
    event_id          VARCHAR(36)      NOT NULL,
    message_id        VARCHAR(36),
    contact_id        VARCHAR(36)      NOT NULL,
    session_id        VARCHAR(36),
    action_code       VARCHAR(200),
    then_delivery_id  VARCHAR(40),
    payload           VARCHAR(1000000),
    status            VARCHAR(20)      NOT NULL,
    attempts          INT              NOT NULL,
    round_start       INT              NOT NULL,
    next_attempt_at   BIGINT,
    claimed_at        BIGINT,
    claimed_by        VARCHAR(36),
    last_error        VARCHAR(2000),
    occurred_at       BIGINT           NOT NULL,
    created_at        BIGINT           NOT NULL,
    updated_at        BIGINT           NOT NULL,
    delivered_at      BIGINT
);
CREATE INDEX ix_delivery_tenant_status ON delivery (tenant_id, status, created_at);

CREATE TABLE delivery_attempt (
    delivery_id   VARCHAR(40)   NOT NULL REFERENCES delivery (id),
    attempt       INT           NOT NULL,
    attempted_at  BIGINT        NOT NULL,
    url           VARCHAR(2100) NOT NULL,
    status_code   INT,
    latency_ms    BIGINT        NOT NULL,
    error         VARCHAR(2000),
    PRIMARY KEY (delivery_id, attempt)
);

-- a webhook answering 410 Gone is disabled until the tenant sets one again
ALTER TABLE client_webhook ADD COLUMN disabled_at BIGINT;

-- what the client answered to contact/info, and the name the channel last gave (a change is announced again)
ALTER TABLE contact ADD COLUMN labels VARCHAR(100000);
ALTER TABLE contact ADD COLUMN channel_name VARCHAR(200);
UPDATE contact SET channel_name = name;
