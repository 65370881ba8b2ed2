package io.mehery.gateway.store;

import java.time.Clock;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.logging.TraceIds;

/**
 * The transactional outbox: work for a queue, written in the same transaction as what it is about, so that no row
 * of work exists without the message that will carry it on, and no message without its row. {@link OutboxRelay}
 * moves the rows to the broker.
 */
@Repository
public class Outbox {

    private static final RowMapper<Row> ROW = (rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3),
            (Long) rs.getObject(4, Long.class), rs.getString(5), rs.getString(6));

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final OutboxRelay.Signal relay;

    public Outbox(JdbcTemplate jdbc, ObjectMapper json, Clock clock, OutboxRelay.Signal relay) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.relay = relay;
    }

    /**
     * Adds a message for {@code queue}, as JSON, not to be consumed before {@code notBefore} (epoch millis; null for
     * at once), carrying the current trace id. Inside a transaction the relay is woken when it commits.
     */
    public void add(String queue, Object body, Long notBefore) {
        add(queue, body, notBefore, null);
    }

    /**
     * The same, for work of one contact ({@code group}): one consumer at a time takes a contact's work, in the order
     * it was added (the broker's message groups).
     */
    public void add(String queue, Object body, Long notBefore, String group) {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("outbox messages are JSON records", e);
        }
        jdbc.update("INSERT INTO outbox (queue, body, not_before, trace_id, created_at, message_group) VALUES (?, ?, ?,"
                + " ?, ?, ?)", queue, text, notBefore, TraceIds.carried(), clock.millis(), group);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    relay.wake();
                }
            });
        } else {
            relay.wake();
        }
    }

    /** The oldest rows, locked until the caller's transaction ends so that no other relay sends them too. */
    List<Row> lockOldest(int limit) {
        return jdbc.query("SELECT id, queue, body, not_before, trace_id, message_group FROM outbox ORDER BY id FETCH"
                + " FIRST " + limit
                + " ROWS ONLY FOR UPDATE", ROW);
    }

    void remove(List<Row> rows) {
        jdbc.batchUpdate("DELETE FROM outbox WHERE id = ?", rows, rows.size(), (ps, row) -> ps.setLong(1, row.id()));
    }

    public int size() {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM outbox", Integer.class);
        return n == null ? 0 : n;
    }

    record Row(long id, String queue, String body, Long notBefore, String traceId, String group) {
    }
}
