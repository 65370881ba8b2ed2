package io.mehery.gateway.store;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Analytics events, once per tenant and event id. */
@Repository
public class EventStore {

    private final JdbcTemplate jdbc;

    public EventStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the event; false when the tenant already pushed one with that id. */
    public boolean insertIfNew(String tenantId, String eventId, String eventName, String linksJson, long now) {
        try {
            jdbc.update("INSERT INTO analytics_event (tenant_id, event_id, event_name, links, received_at)"
                    + " VALUES (?, ?, ?, ?, ?)", tenantId, eventId, eventName, linksJson, now);
            return true;
        } catch (DuplicateKeyException alreadyPushed) {
            return false;
        }
    }

    public void delete(String tenantId, String eventId) {
        jdbc.update("DELETE FROM analytics_event WHERE tenant_id = ? AND event_id = ?", tenantId, eventId);
    }
}
