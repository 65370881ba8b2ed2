-- A delivery's attempts keyed by the delivery's seq, not its id: an id is random (derived from its event), so each
-- attempt recorded rewrote a random page of the key; seq grows with each callback planned, so the attempts being
-- recorded now all land on the key's few newest pages, shared by every attempt of the same commit.
CREATE TABLE callback_attempt (
    delivery_seq  BIGINT        NOT NULL,
    attempt       INT           NOT NULL,
    delivery_id   VARCHAR(40)   NOT NULL,
    attempted_at  BIGINT        NOT NULL,
    url           VARCHAR(2100) NOT NULL,
    status_code   INT,
    latency_ms    BIGINT        NOT NULL,
    error         VARCHAR(2000),
    instance_id   VARCHAR(200),
    PRIMARY KEY (delivery_seq, attempt)
);
INSERT INTO callback_attempt (delivery_seq, attempt, delivery_id, attempted_at, url, status_code, latency_ms, error,
        instance_id)
    SELECT d.seq, a.attempt, a.delivery_id, a.attempted_at, a.url, a.status_code, a.latency_ms, a.error, a.instance_id
    FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id;
DROP TABLE delivery_attempt;
ALTER TABLE callback_attempt RENAME TO delivery_attempt;
