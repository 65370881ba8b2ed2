package io.mehery.gateway.store;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Sessions: one contact's conversation until it falls silent for longer than the idle timeout. */
@Repository
public class SessionStore {

    private final JdbcTemplate jdbc;

    public SessionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The contact's session if it was active within {@code idleTimeout} of {@code now}, else a new one. */
    public String continueOrOpen(ContactRecord contact, long now, Duration idleTimeout) {
        Optional<String> current = jdbc.queryForList(
                "SELECT id FROM chat_session WHERE contact_id = ? AND last_activity_at >= ?"
                        + " ORDER BY last_activity_at DESC FETCH FIRST 1 ROWS ONLY",
                String.class, contact.id(), now - idleTimeout.toMillis()).stream().findFirst();
        if (current.isPresent()) {
            jdbc.update("UPDATE chat_session SET last_activity_at = ? WHERE id = ? AND last_activity_at < ?",
                    now, current.get(), now);
            return current.get();
        }
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO chat_session (id, tenant_id, channel_id, contact_id, opened_at, last_activity_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", id, contact.tenantId(), contact.channelId(), contact.id(), now, now);
        return id;
    }

    /**
     * Continues the contact's session {@code sessionId}, however long it was idle: true when it is the contact's.
     * (An e-mail reply belongs to the thread it answers, not to whichever session is open.)
     */
    public boolean resume(String sessionId, ContactRecord contact, long now) {
        return jdbc.update("UPDATE chat_session SET last_activity_at = CASE WHEN last_activity_at < ? THEN ?"
                + " ELSE last_activity_at END WHERE id = ? AND contact_id = ?", now, now, sessionId, contact.id()) == 1;
    }

    public boolean belongsTo(String sessionId, String tenantId) {
        return !jdbc.queryForList("SELECT id FROM chat_session WHERE id = ? AND tenant_id = ?", String.class,
                sessionId, tenantId).isEmpty();
    }
}
