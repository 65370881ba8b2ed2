package io.mehery.gateway.store;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Analytics events, once per tenant and event id. */
@Repository
public class EventStore {

    private final JdbcTemplate jdbc;

    public EventStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the event; false when the tenant already pushed one with that id. It looks before it inserts, so a
     * repeated event leaves the caller's transaction (a batch of the group commit) intact.
     */
    public boolean insertIfNew(String tenantId, String eventId, String eventName, String linksJson, long now) {
        boolean known = !jdbc.queryForList("SELECT event_id FROM analytics_event WHERE tenant_id = ? AND event_id = ?",
                String.class, tenantId, eventId).isEmpty();
        if (known) {
            return false;
        }
        jdbc.update("INSERT INTO analytics_event (tenant_id, event_id, event_name, links, received_at)"
                + " VALUES (?, ?, ?, ?, ?)", tenantId, eventId, eventName, linksJson, now);
        return true;
    }
}
