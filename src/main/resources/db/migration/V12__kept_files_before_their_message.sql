-- A file that came with its message (a visitor's upload, an e-mail attachment) is kept in a transaction of its own
-- before its message is stored, so that megabytes are not written inside the group commit that every accept waits
-- on. The file's row therefore exists a moment before its message's: no foreign key to message.
CREATE TABLE kept_file (
    message_id  VARCHAR(36)  NOT NULL PRIMARY KEY,
    bytes       BYTEA        NOT NULL
);
INSERT INTO kept_file (message_id, bytes) SELECT message_id, bytes FROM media_file;
DROP TABLE media_file;
