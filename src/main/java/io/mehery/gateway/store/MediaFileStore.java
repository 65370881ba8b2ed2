package io.mehery.gateway.store;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Files that arrived inline with their message (e-mail attachments, website uploads), kept under their message's id.
 * A file is written before its message, in a transaction of its own (the caller's, outside the group commit): a
 * five-megabyte upload inside the group commit held every accept of its batch behind it. A message that is then not
 * stored (a provider's repeat, a failed write) forgets its file; a crash in between leaves a file no message names.
 */
@Repository
public class MediaFileStore {

    private final JdbcTemplate jdbc;

    public MediaFileStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Keeps the file, committed at once; its id is the one its message is to be stored under. One at a time: H2
     * serialises each commit's pages in a buffer of their size, so parallel megabyte commits multiply that buffer.
     */
    public synchronized String keep(byte[] bytes) {
        String messageId = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO kept_file (message_id, bytes) VALUES (?, ?)", messageId, bytes);
        return messageId;
    }

    /** A kept file whose message was not stored under its id. */
    public void forget(String messageId) {
        jdbc.update("DELETE FROM kept_file WHERE message_id = ?", messageId);
    }

    public Optional<byte[]> find(String messageId) {
        return jdbc.query("SELECT bytes FROM kept_file WHERE message_id = ?", (rs, n) -> rs.getBytes(1), messageId)
                .stream().findFirst();
    }
}
