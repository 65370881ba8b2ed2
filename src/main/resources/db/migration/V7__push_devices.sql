-- The devices of a push channel's users: the app registers each with its provider token; a user may have several.
CREATE TABLE push_device (
    channel_id     VARCHAR(100)  NOT NULL,
    token          VARCHAR(1024) NOT NULL,
    user_id        VARCHAR(320)  NOT NULL,
    platform       VARCHAR(20)   NOT NULL,
    registered_at  BIGINT        NOT NULL,
    PRIMARY KEY (channel_id, token)
);
CREATE INDEX ix_push_device_user ON push_device (channel_id, user_id);
