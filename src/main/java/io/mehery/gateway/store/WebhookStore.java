package io.mehery.gateway.store;

import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Each tenant's client webhook base URL. */
@Repository
public class WebhookStore {

    private final JdbcTemplate jdbc;

    public WebhookStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void save(String tenantId, String url, long now) {
        int updated = jdbc.update(
                "UPDATE client_webhook SET url = ?, updated_at = ?, disabled_at = NULL WHERE tenant_id = ?",
                url, now, tenantId);
        if (updated == 0) {
            jdbc.update("INSERT INTO client_webhook (tenant_id, url, updated_at) VALUES (?, ?, ?)",
                    tenantId, url, now);
        }
    }

    /** The tenant's webhook, unless there is none, it was disabled, or the tenant's deliveries are paused. */
    public Optional<String> find(String tenantId) {
        return jdbc.queryForList("SELECT url FROM client_webhook WHERE tenant_id = ? AND disabled_at IS NULL"
                + " AND paused_at IS NULL", String.class, tenantId).stream().findFirst();
    }

    /** The tenant's webhook as stored, disabled or not. */
    public Optional<StoredWebhook> current(String tenantId) {
        return jdbc.query("SELECT url, updated_at, disabled_at, paused_at, paused_reason FROM client_webhook"
                + " WHERE tenant_id = ?", (rs, n) -> new StoredWebhook(rs.getString(1), rs.getLong(2),
                        (Long) rs.getObject(3, Long.class), (Long) rs.getObject(4, Long.class), rs.getString(5)),
                tenantId).stream().findFirst();
    }

    /**
     * A webhook as stored: {@code disabledAt} is set when it answered 410 Gone, until it is set again;
     * {@code pausedAt} while the tenant's deliveries are paused (a webhook set meanwhile stays paused).
     */
    public record StoredWebhook(String url, long setAt, Long disabledAt, Long pausedAt, String pausedReason) {
    }

    /** Pauses the tenant's deliveries (once: a second pause keeps the first's time); false if it has no webhook. */
    public boolean pause(String tenantId, String reason, long now) {
        return jdbc.update("UPDATE client_webhook SET paused_at = COALESCE(paused_at, ?), paused_reason = ?"
                + " WHERE tenant_id = ?", now, reason, tenantId) == 1;
    }

    /** Resumes the tenant's deliveries; false if it has no webhook. */
    public boolean resume(String tenantId) {
        return jdbc.update("UPDATE client_webhook SET paused_at = NULL, paused_reason = NULL WHERE tenant_id = ?",
                tenantId) == 1;
    }

    /** Stops callbacks to the tenant's webhook until it is set again. */
    public boolean disable(String tenantId, String url, long now) {
        return jdbc.update("UPDATE client_webhook SET disabled_at = ? WHERE tenant_id = ? AND url = ?"
                + " AND disabled_at IS NULL", now, tenantId, url) == 1;
    }
}
