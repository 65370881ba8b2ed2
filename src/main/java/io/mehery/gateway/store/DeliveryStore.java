package io.mehery.gateway.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** Callback deliveries and their attempts: the delivery log, and the dead letters among them. */
@Repository
public class DeliveryStore {

    /** The columns a delivery is stored with; {@code seq} is the database's to give. */
    private static final String COLUMNS = "id, tenant_id, kind, event_id, message_id, contact_id, session_id,"
            + " action_code, then_delivery_id, payload, status, attempts, round_start, next_attempt_at, claimed_at,"
            + " claimed_by, last_error,"
            + " occurred_at, created_at, delivered_at";
    private static final String SELECTED = COLUMNS + ", seq";
    /** Delivery {@code d} is its contact's next to make: no earlier callback of the contact is still on its way. */
    private static final String FIRST_OF_ITS_CONTACT = "NOT EXISTS (SELECT 1 FROM delivery e"
            + " WHERE e.contact_id = d.contact_id AND e.tenant_id = d.tenant_id AND e.seq < d.seq"
            + " AND e.status IN ('PENDING', 'WAITING'))";
    private static final RowMapper<DeliveryRecord> ROW = (rs, n) -> new DeliveryRecord(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
            rs.getString(8), rs.getString(9), rs.getString(10), DeliveryRecord.Status.valueOf(rs.getString(11)),
            rs.getInt(12), rs.getInt(13), (Long) rs.getObject(14, Long.class), (Long) rs.getObject(15, Long.class),
            rs.getString(16), rs.getString(17), rs.getLong(18), rs.getLong(19), (Long) rs.getObject(20, Long.class),
            (Long) rs.getObject(21, Long.class));
    private static final RowMapper<DeliveryAttemptRecord> ATTEMPT_ROW = (rs, n) -> new DeliveryAttemptRecord(
            rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4), (Integer) rs.getObject(5, Integer.class),
            rs.getLong(6), rs.getString(7), rs.getString(8));

    /** Delivery {@code d}'s last attempt is of a status class (none: d has no attempt). */
    private static final String LAST_ATTEMPT_OF_CLASS = "(SELECT t.status_class FROM delivery_attempt t"
            + " WHERE t.delivery_seq = d.seq AND t.attempt = d.attempts) = ?";
    /** The most attempts of a status class a search reads at a time. */
    private static final int MOST_ATTEMPTS_READ = 2000;

    private final JdbcTemplate jdbc;

    public DeliveryStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a new delivery; its id is derived from its event and kind, so an event planned twice fails here. */
    public void insert(DeliveryRecord d) {
        jdbc.update("INSERT INTO delivery (" + COLUMNS + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", d.id(), d.tenantId(), d.kind(), d.eventId(), d.messageId(),
                    d.contactId(), d.sessionId(), d.actionCode(), d.thenDeliveryId(), d.payload(), d.status().name(),
                    d.attempts(), d.roundStart(), d.nextAttemptAt(), d.claimedAt(), d.claimedBy(), d.lastError(),
                    d.occurredAt(), d.createdAt(), d.deliveredAt(), d.createdAt());
    }

    public Optional<DeliveryRecord> find(String id) {
        return jdbc.query("SELECT " + SELECTED + " FROM delivery WHERE id = ?", ROW, id).stream().findFirst();
    }

    /**
     * Whether a callback planned before this one for the same contact is still on its way (pending or waiting for a
     * webhook; a dead letter holds nothing back). Each status is one short range of ix_delivery_contact_status, so
     * the contact's delivered history is never read.
     */
    public boolean hasEarlierUndelivered(DeliveryRecord d) {
        return !jdbc.queryForList("SELECT 1 FROM delivery WHERE contact_id = ? AND status = 'PENDING' AND seq < ?"
                + " FETCH FIRST 1 ROWS ONLY", Integer.class, d.contactId(), d.seq()).isEmpty()
                || !jdbc.queryForList("SELECT 1 FROM delivery WHERE contact_id = ? AND status = 'WAITING' AND seq < ?"
                        + " FETCH FIRST 1 ROWS ONLY", Integer.class, d.contactId(), d.seq()).isEmpty();
    }

    /** Whether any callback of the contact is still on its way: one planned now goes after it. */
    public boolean hasUndelivered(String contactId) {
        return !jdbc.queryForList("SELECT 1 FROM delivery WHERE contact_id = ? AND status IN ('PENDING', 'WAITING')"
                + " FETCH FIRST 1 ROWS ONLY", Integer.class, contactId).isEmpty();
    }

    /**
     * The contact's next callback after this one still to make (pending, or waiting for a webhook: it waits again if
     * there is still none), in the order they were planned.
     */
    public Optional<DeliveryRecord> nextPendingOfContact(DeliveryRecord d) {
        Optional<DeliveryRecord> pending = firstAfter(d, "PENDING");
        Optional<DeliveryRecord> waiting = firstAfter(d, "WAITING");
        return pending.isEmpty() || waiting.isPresent() && waiting.get().seq() < pending.get().seq() ? waiting
                : pending;
    }

    private Optional<DeliveryRecord> firstAfter(DeliveryRecord d, String status) {
        return jdbc.query("SELECT " + SELECTED + " FROM delivery WHERE contact_id = ? AND status = ? AND seq > ?"
                + " ORDER BY seq FETCH FIRST 1 ROWS ONLY", ROW, d.contactId(), status, d.seq()).stream().findFirst();
    }

    /** A pending callback whose order is held back until {@code at}: it is not stalled meanwhile. */
    public void heldUntil(String id, long at) {
        jdbc.update("UPDATE delivery SET next_attempt_at = ? WHERE id = ? AND status = 'PENDING'", at, id);
    }

    /**
     * Pending callbacks that wait behind no earlier callback of their contact and that nothing is making: due before
     * {@code dueBefore} with no attempt claimed (their order went missing: a retry or a hold records its time here,
     * one behind another is sent on by it), or with an attempt claimed before {@code claimedBefore} whose outcome
     * was never recorded (its claimer died; recording an outcome ends the claim).
     */
    public List<DeliveryRecord> stalled(long dueBefore, long claimedBefore, int limit) {
        return jdbc.query("SELECT " + SELECTED + " FROM delivery d WHERE status = 'PENDING'"
                + " AND (next_attempt_at < ? AND claimed_at IS NULL OR claimed_at < ?) AND " + FIRST_OF_ITS_CONTACT
                + " ORDER BY next_attempt_at FETCH FIRST " + limit + " ROWS ONLY", ROW, dueBefore, claimedBefore);
    }

    /**
     * The tenant's callbacks that wait for a webhook and are their contact's next to make (no earlier callback of the
     * contact still on its way), in the order they were planned, from {@code afterSeq} on: each sends on the rest of
     * its contact's once settled.
     */
    public List<DeliveryRecord> waitingHeads(String tenantId, long afterSeq, int limit) {
        return jdbc.query("SELECT " + SELECTED + " FROM delivery d WHERE tenant_id = ? AND status = 'WAITING'"
                + " AND seq > ? AND " + FIRST_OF_ITS_CONTACT + " ORDER BY seq FETCH FIRST " + limit + " ROWS ONLY",
                ROW, tenantId, afterSeq);
    }

    /** How many of the tenant's callbacks are still to make (pending or waiting), and when the oldest was planned. */
    public Backlog backlog(String tenantId) {
        long count = 0;
        Long oldest = null;
        for (String status : List.of("PENDING", "WAITING")) {
            Backlog part = jdbc.queryForObject("SELECT COUNT(*), MIN(created_at) FROM delivery WHERE tenant_id = ?"
                    + " AND status = ?", (rs, n) -> new Backlog(rs.getLong(1), (Long) rs.getObject(2, Long.class)),
                    tenantId, status);
            count += part.count();
            if (part.oldestCreatedAt() != null && (oldest == null || part.oldestCreatedAt() < oldest)) {
                oldest = part.oldestCreatedAt();
            }
        }
        return new Backlog(count, oldest);
    }

    public record Backlog(long count, Long oldestCreatedAt) {
    }

    public Optional<DeliveryRecord> find(String tenantId, String id) {
        return jdbc.query("SELECT " + SELECTED + " FROM delivery WHERE id = ? AND tenant_id = ?", ROW, id, tenantId)
                .stream().findFirst();
    }

    /**
     * The tenant's deliveries that match the query, newest first (by {@code seq}, which only grows: a page read
     * while callbacks are planned is not shifted by them; for a window of creation, by when each was planned, then
     * seq), at most {@code limit}. Each shape of search is a range of its own index, so that one matching few
     * deliveries deep in the history does not read the newer ones: a delivery's, a message's or a contact's rows;
     * the attempts of a status class, newest first; a window of creation; else the tenant's deliveries newest first.
     */
    public List<DeliveryRecord> search(DeliveryQuery query) {
        if (query.statusClass() != null && !query.findsFew()) {
            return lastAttemptOfClass(query);
        }
        StringBuilder sql = new StringBuilder("SELECT " + SELECTED + " FROM delivery d WHERE d.tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(query.tenantId()));
        if (query.byCreation() && query.beforeCreatedAt() != null) {
            where(sql, args, "d.created_at <= ?", query.beforeCreatedAt());
            sql.append(" AND (d.created_at < ? OR d.seq < ?)");
            args.add(query.beforeCreatedAt());
            args.add(query.beforeSeq());
        } else {
            where(sql, args, "d.seq < ?", query.beforeSeq());
        }
        filtered(sql, args, query);
        where(sql, args, LAST_ATTEMPT_OF_CLASS, query.statusClass());
        // H2 reads an index in its order (a top-N, not a sort of every row in range) only for an ORDER BY that
        // begins with the index's leading column, though that column is one value here. A delivery, a message's or
        // a contact's rows are found by their own index and their few rows sorted.
        sql.append(query.findsFew() ? " ORDER BY d.seq DESC"
                : query.byCreation() ? " ORDER BY d.tenant_id, d.created_at DESC, d.seq DESC"
                : " ORDER BY d.tenant_id, d.seq DESC");
        sql.append(" FETCH FIRST ").append(query.limit()).append(" ROWS ONLY");
        return jdbc.query(sql.toString(), ROW, args.toArray());
    }

    /** The filters of a search on the delivery's own columns and its attempts' times. */
    private void filtered(StringBuilder sql, List<Object> args, DeliveryQuery query) {
        where(sql, args, "d.status = ?", query.status());
        where(sql, args, "d.kind = ?", query.kind());
        where(sql, args, "d.created_at >= ?", query.createdFrom());
        where(sql, args, "d.created_at < ?", query.createdTo());
        where(sql, args, "d.message_id = ?", query.messageId());
        where(sql, args, "d.contact_id = ?", query.contactId() != null || query.messageId() == null
                ? query.contactId() : contactOfMessage(query.messageId()));
        where(sql, args, "d.id = ?", query.webhookId());
        if (query.attemptedFrom() != null || query.attemptedTo() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM delivery_attempt t WHERE t.delivery_seq = d.seq");
            where(sql, args, "t.attempted_at >= ?", query.attemptedFrom());
            where(sql, args, "t.attempted_at < ?", query.attemptedTo());
            sql.append(")");
        }
    }

    /**
     * The tenant's deliveries whose last attempt's status is of the query's class, newest first: the attempts of
     * that class are read newest first from their index, a page's worth first and then four times more each time
     * (up to {@value #MOST_ATTEMPTS_READ}), and the deliveries they belong to kept when they pass the filters and
     * that attempt class is their last one's, until the page is full.
     * (Asked as one join, H2 reads the tenant's deliveries first and sorts them: seconds at 1M for a rare class.)
     */
    private List<DeliveryRecord> lastAttemptOfClass(DeliveryQuery query) {
        List<DeliveryRecord> found = new ArrayList<>();
        Long before = query.beforeSeq();
        int attemptsRead = query.limit();
        while (found.size() < query.limit()) {
            // each attempt names its delivery by seq (the cursor) and by id (its primary key, found at once)
            List<AttemptOf> read = jdbc.query("SELECT delivery_seq, delivery_id FROM delivery_attempt"
                    + " WHERE status_class = ?" + (before == null ? "" : " AND delivery_seq < ?")
                    + " ORDER BY status_class, delivery_seq DESC FETCH FIRST " + attemptsRead + " ROWS ONLY",
                    (rs, n) -> new AttemptOf(rs.getLong(1), rs.getString(2)), before == null
                            ? new Object[] {query.statusClass()} : new Object[] {query.statusClass(), before});
            if (read.isEmpty()) {
                break;
            }
            List<Object> args = new ArrayList<>(read.stream().map(AttemptOf::deliveryId).distinct().toList());
            StringBuilder sql = new StringBuilder("SELECT " + SELECTED + " FROM delivery d WHERE d.id IN ("
                    + String.join(", ", Collections.nCopies(args.size(), "?")) + ") AND d.tenant_id = ?");
            args.add(query.tenantId());
            filtered(sql, args, query);
            where(sql, args, LAST_ATTEMPT_OF_CLASS, query.statusClass());
            sql.append(" ORDER BY d.seq DESC FETCH FIRST ").append(query.limit() - found.size()).append(" ROWS ONLY");
            found.addAll(jdbc.query(sql.toString(), ROW, args.toArray()));
            if (read.size() < attemptsRead) {
                break;
            }
            before = read.get(read.size() - 1).deliverySeq();
            attemptsRead = Math.min(attemptsRead * 4, MOST_ATTEMPTS_READ);
        }
        return found;
    }

    private record AttemptOf(long deliverySeq, String deliveryId) {
    }

    /** The contact a message is with, so that its callbacks are one range of the contact's (none if unknown). */
    private String contactOfMessage(String messageId) {
        return jdbc.queryForList("SELECT contact_id FROM message WHERE id = ?", String.class, messageId).stream()
                .findFirst().orElse("");
    }

    private static void where(StringBuilder sql, List<Object> args, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            args.add(value);
        }
    }

    /**
     * What a recovery of {@code scope} sends on: a dead letter, or (for {@code UNDELIVERED}) a callback waiting for its
     * next retry as well; each status one range of ix_delivery_tenant_status.
     */
    private static final Map<RecoveryRecord.Scope, List<String>> RECOVERED = Map.of(RecoveryRecord.Scope.DEAD,
            List.of("status = 'DEAD'"), RecoveryRecord.Scope.UNDELIVERED, List.of("status = 'DEAD'",
                    "status = 'PENDING' AND attempts > 0 AND claimed_at IS NULL"));

    /** How many of the tenant's callbacks planned in [{@code from}, {@code to}) a recovery of the scope sends on. */
    public long countRecoverable(String tenantId, RecoveryRecord.Scope scope, long from, long to) {
        long count = 0;
        for (String condition : RECOVERED.get(scope)) {
            Long n = jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE tenant_id = ? AND " + condition
                    + " AND created_at >= ? AND created_at < ?", Long.class, tenantId, from, to);
            count += n == null ? 0 : n;
        }
        return count;
    }

    /**
     * The next callbacks a recovery sends on: planned after {@code after} and before {@code to}, in the order they
     * were planned, at most {@code limit} of each status in the scope.
     */
    public List<DeliveryRecord> recoverable(String tenantId, RecoveryRecord.Scope scope, long after, long to,
            int limit) {
        List<DeliveryRecord> found = new ArrayList<>();
        for (String condition : RECOVERED.get(scope)) {
            found.addAll(jdbc.query("SELECT " + SELECTED + " FROM delivery WHERE tenant_id = ? AND " + condition
                    + " AND created_at > ? AND created_at < ? ORDER BY tenant_id, status, created_at FETCH FIRST "
                    + limit + " ROWS ONLY", ROW, tenantId, after, to));
        }
        found.sort(Comparator.comparingLong(DeliveryRecord::createdAt).thenComparingLong(DeliveryRecord::seq));
        return found;
    }

    /**
     * A dead or retrying callback made due now, with a new round of the retry schedule: true if it was still as the
     * recovery saw it (not claimed, not delivered meanwhile).
     */
    public boolean revive(DeliveryRecord d, long now) {
        return jdbc.update("UPDATE delivery SET status = 'PENDING', round_start = attempts, next_attempt_at = ?,"
                + " updated_at = ? WHERE id = ? AND attempts = ? AND status = ? AND claimed_at IS NULL", now, now,
                d.id(), d.attempts(), d.status().name()) == 1;
    }

    /** How many of the tenant's callbacks are due or under way now: a recovery sends on more only below a bound. */
    public long dueNow(String tenantId, long now) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE tenant_id = ? AND status = 'PENDING'"
                + " AND next_attempt_at <= ?", Long.class, tenantId, now);
        return n == null ? 0 : n;
    }

    public List<DeliveryRecord> withStatus(String tenantId, DeliveryRecord.Status status, int limit) {
        return jdbc.query("SELECT " + SELECTED + " FROM delivery WHERE tenant_id = ? AND status = ?"
                + " ORDER BY created_at, id FETCH FIRST " + limit + " ROWS ONLY", ROW, tenantId, status.name());
    }

    /**
     * Takes attempt {@code attempts + 1} for the caller: true only for the one caller that saw the delivery with
     * {@code expectedAttempts} attempts, so two orders for the same attempt make one call. A waiting delivery
     * begins a new round of the schedule; a dead one does too, when {@code replay} says so.
     */
    public boolean claimAttempt(String id, int expectedAttempts, boolean replay, String payload, String orderId,
            long now) {
        String claimable = replay ? "('PENDING', 'WAITING', 'DEAD')" : "('PENDING', 'WAITING')";
        return jdbc.update("UPDATE delivery SET round_start = CASE WHEN status = 'PENDING' THEN round_start"
                + " ELSE attempts END, attempts = attempts + 1, status = 'PENDING', payload = COALESCE(payload, ?),"
                + " claimed_at = ?, claimed_by = ?, updated_at = ? WHERE id = ? AND attempts = ? AND status IN "
                + claimable, payload, now, orderId, now, id, expectedAttempts) == 1;
    }

    /** Takes over an attempt whose claimer has gone silent; true only for the one caller that saw that claimer. */
    public boolean takeOverClaim(String id, int attempt, String abandonedBy, String orderId, long now) {
        return jdbc.update("UPDATE delivery SET claimed_at = ?, claimed_by = ?, updated_at = ? WHERE id = ?"
                + " AND attempts = ? AND status = 'PENDING' AND claimed_by = ?", now, orderId, now, id, attempt,
                abandonedBy) == 1;
    }

    public boolean attemptRecorded(DeliveryRecord d, int attempt) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM delivery_attempt WHERE delivery_seq = ? AND attempt = ?",
                Integer.class, d.seq(), attempt);
        return n != null && n > 0;
    }

    /**
     * Records an attempt and where it left the delivery; its claim ends (the claimer stays named). The payload the
     * attempt sent is kept for every later attempt, if its claim did not store one.
     */
    public void recordAttempt(DeliveryRecord d, DeliveryAttemptRecord attempt, String payload,
            DeliveryRecord.Status status, Long nextAttemptAt, Long deliveredAt) {
        jdbc.update("INSERT INTO delivery_attempt (delivery_seq, delivery_id, attempt, attempted_at, url, status_code,"
                + " status_class, latency_ms, error, instance_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", d.seq(),
                attempt.deliveryId(), attempt.attempt(), attempt.attemptedAt(), attempt.url(), attempt.statusCode(),
                attempt.statusCode() == null ? 0 : attempt.statusCode() / 100, attempt.latencyMs(), attempt.error(),
                attempt.instanceId());
        jdbc.update("UPDATE delivery SET status = ?, next_attempt_at = ?, delivered_at = ?, last_error = ?,"
                + " claimed_at = NULL, payload = COALESCE(payload, ?), updated_at = ? WHERE id = ?", status.name(),
                nextAttemptAt, deliveredAt, attempt.error(), payload, attempt.attemptedAt(), attempt.deliveryId());
    }

    public void markWaiting(String id, long now) {
        jdbc.update("UPDATE delivery SET status = 'WAITING', next_attempt_at = NULL, updated_at = ?"
                + " WHERE id = ? AND status IN ('PENDING', 'DEAD')", now, id);
    }

    /** The attempts of each listed delivery (by its id), in order, read with one query for the whole list. */
    public Map<String, List<DeliveryAttemptRecord>> attempts(List<DeliveryRecord> listed) {
        Map<String, List<DeliveryAttemptRecord>> byDelivery = new HashMap<>();
        if (listed.isEmpty()) {
            return byDelivery;
        }
        String seqs = String.join(", ", Collections.nCopies(listed.size(), "?"));
        jdbc.query("SELECT delivery_id, attempt, attempted_at, url, status_code, latency_ms, error, instance_id"
                + " FROM delivery_attempt WHERE delivery_seq IN (" + seqs + ") ORDER BY delivery_seq, attempt",
                ATTEMPT_ROW, listed.stream().map(DeliveryRecord::seq).toArray())
                .forEach(a -> byDelivery.computeIfAbsent(a.deliveryId(), id -> new ArrayList<>()).add(a));
        return byDelivery;
    }
}
