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
        int updated = jdbc.update("UPDATE client_webhook SET url = ?, updated_at = ? WHERE tenant_id = ?",
                url, now, tenantId);
        if (updated == 0) {
            jdbc.update("INSERT INTO client_webhook (tenant_id, url, updated_at) VALUES (?, ?, ?)",
                    tenantId, url, now);
        }
    }

    public Optional<String> find(String tenantId) {
        return jdbc.queryForList("SELECT url FROM client_webhook WHERE tenant_id = ?", String.class, tenantId)
                .stream().findFirst();
    }
}
