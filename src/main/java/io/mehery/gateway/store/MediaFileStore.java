package io.mehery.gateway.store;

import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Files that arrived inline with their message (e-mail attachments), kept beside it. */
@Repository
public class MediaFileStore {

    private final JdbcTemplate jdbc;

    public MediaFileStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(String messageId, byte[] bytes) {
        jdbc.update("INSERT INTO media_file (message_id, bytes) VALUES (?, ?)", messageId, bytes);
    }

    public Optional<byte[]> find(String messageId) {
        return jdbc.query("SELECT bytes FROM media_file WHERE message_id = ?", (rs, n) -> rs.getBytes(1), messageId)
                .stream().findFirst();
    }
}
