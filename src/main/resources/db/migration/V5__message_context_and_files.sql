-- What a provider says about a message beyond its content: the action the user chose, the provider id of the
-- message it replies to (and that message's gateway id, when the gateway has it), and the provider's own message
-- when the channel's mapping had to change it (the spec's originalMessage).
ALTER TABLE message ADD COLUMN action_code VARCHAR(1000);
ALTER TABLE message ADD COLUMN reply_id_ext VARCHAR(200);
ALTER TABLE message ADD COLUMN reply_id VARCHAR(36);
ALTER TABLE message ADD COLUMN original_message VARCHAR(1000000);

-- A file the provider delivered inline rather than by an id the gateway fetches later (e-mail attachments): kept
-- with its message and served by GET /api/v1/media/{messageId} like every other channel's media.
CREATE TABLE media_file (
    message_id  VARCHAR(36)  NOT NULL PRIMARY KEY REFERENCES message (id),
    bytes       BYTEA        NOT NULL
);
