package io.mehery.gateway.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

@Repository
public class MessageStore {

    private static final String COLUMNS = "id, tenant_id, channel_id, session_id, contact_id, direction, type,"
            + " status, text, content, masked, message_id_ext, sender, created_at, action_code, reply_id_ext, reply_id,"
            + " original_message";
    private static final String SELECTED = COLUMNS + ", failure, tags";
    private static final RowMapper<MessageRecord> ROW = (rs, n) -> new MessageRecord(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            MessageRecord.Direction.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getString(9),
            rs.getString(10), rs.getBoolean(11), rs.getString(12), rs.getString(13), rs.getLong(14), rs.getString(19),
            rs.getString(20),
            new MessageRecord.Context(rs.getString(15), rs.getString(16), rs.getString(17), rs.getString(18)));

    private static final RowMapper<Sequenced> SEQUENCED = (rs, n) -> new Sequenced(rs.getLong(21), ROW.mapRow(rs, n));

    /** The stamp of a message's last edit, beside those of its statuses. */
    public static final String EDITED = "EDITED";

    private final JdbcTemplate jdbc;
    private final StatusChanges statusChanges;

    public MessageStore(JdbcTemplate jdbc, StatusChanges statusChanges) {
        this.jdbc = jdbc;
        this.statusChanges = statusChanges;
    }

    /** Stores the message with a stamp for its first status. */
    public void insert(MessageRecord m) {
        jdbc.update("INSERT INTO message (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                m.id(), m.tenantId(), m.channelId(), m.sessionId(), m.contactId(), m.direction().name(), m.type(),
                m.status(), m.text(), m.content(), m.masked(), m.messageIdExt(), m.sender(), m.createdAt(),
                m.context().actionCode(), m.context().replyIdExt(), m.context().replyId(),
                m.context().originalMessage());
        insertStamp(m.id(), m.status(), m.createdAt());
    }

    public Optional<MessageRecord> find(String messageId) {
        return jdbc.query("SELECT " + SELECTED + " FROM message WHERE id = ?", ROW, messageId).stream().findFirst();
    }

    public Optional<MessageRecord> findByExternalId(String tenantId, String channelId,
            MessageRecord.Direction direction, String messageIdExt) {
        return jdbc.query("SELECT " + SELECTED + " FROM message WHERE tenant_id = ? AND channel_id = ?"
                + " AND direction = ? AND message_id_ext = ?", ROW, tenantId, channelId, direction.name(),
                messageIdExt).stream().findFirst();
    }

    /** The message the provider knows as {@code messageIdExt} on the channel, either direction: its id and session. */
    public Optional<Reference> referenceOf(String tenantId, String channelId, String messageIdExt) {
        return jdbc.query("SELECT id, session_id FROM message WHERE tenant_id = ? AND channel_id = ?"
                + " AND message_id_ext = ?", (rs, n) -> new Reference(rs.getString(1), rs.getString(2)), tenantId,
                channelId, messageIdExt).stream().findFirst();
    }

    /** A stored message another one refers to. */
    public record Reference(String messageId, String sessionId) {
    }

    /**
     * The user edited the message: its text and content become the edit's, the provider's edit is kept as its
     * original message, and the {@code edited} stamp says when it was last edited.
     */
    public void edit(String messageId, String text, String content, String originalMessage, long at) {
        jdbc.update("UPDATE message SET text = ?, content = ?, original_message = ? WHERE id = ?", text, content,
                originalMessage, messageId);
        if (jdbc.update("UPDATE message_stamp SET stamped_at = ? WHERE message_id = ? AND status = ?", at, messageId,
                EDITED) == 0) {
            insertStamp(messageId, EDITED, at);
        }
    }

    /** Moves the message to a status and stamps when it got there; a status it already reached keeps its stamp. */
    public void advance(String messageId, MessageStatus status, String messageIdExt, long at) {
        jdbc.update("UPDATE message SET status = ?, message_id_ext = COALESCE(?, message_id_ext) WHERE id = ?",
                status.name(), messageIdExt, messageId);
        stamp(messageId, status.name(), at);
        statusChanged(messageId, status, null);
    }

    /** Those who want to know learn of a status, in the transaction that set it. */
    private void statusChanged(String messageId, MessageStatus status, String failure) {
        if (!statusChanges.wanted()) {
            return;
        }
        RowCallbackHandler publish = rs -> statusChanges.changed(rs.getString(1), rs.getString(2), messageId,
                rs.getString(3), rs.getString(4), status, failure);
        jdbc.query("SELECT tenant_id, channel_id, session_id, message_id_ext FROM message WHERE id = ?", publish,
                messageId);
    }

    /**
     * Marks an accepted message as in its provider call from {@code now}: true only for the one caller that found it
     * accepted and in no call, so a dispatch handed over twice calls the provider once.
     */
    public boolean startDispatch(String messageId, long now) {
        return jdbc.update("UPDATE message SET dispatching_since = ? WHERE id = ? AND status = ?"
                + " AND dispatching_since IS NULL", now, messageId, MessageStatus.ACCEPTED.name()) == 1;
    }

    /**
     * Whether an outbound message accepted before this one, to the same contact, has not reached its provider yet
     * (still accepted: waiting in the queue, in a call, or waiting for its retry).
     */
    public boolean hasEarlierUnsent(String messageId) {
        Integer earlier = jdbc.queryForObject("SELECT COUNT(*) FROM message m JOIN message this ON this.id = ? AND"
                + " m.contact_id = this.contact_id AND m.seq < this.seq"
                + " WHERE m.direction = 'OUTBOUND' AND m.status = ?",
                Integer.class, messageId, MessageStatus.ACCEPTED.name());
        return earlier != null && earlier > 0;
    }

    /** When the provider call of a still accepted message began; empty when it is not accepted or in no call. */
    public Optional<Long> dispatchingSince(String messageId) {
        return jdbc.queryForList("SELECT dispatching_since FROM message WHERE id = ? AND status = ?"
                + " AND dispatching_since IS NOT NULL", Long.class, messageId, MessageStatus.ACCEPTED.name()).stream()
                .findFirst();
    }

    /** The provider call ended without an outcome (the provider will be asked again). */
    public void endDispatch(String messageId) {
        jdbc.update("UPDATE message SET dispatching_since = NULL WHERE id = ?", messageId);
    }

    /** Something worth the reader's knowing that did not change the message's status (shown in its logs). */
    public void note(String messageId, String note) {
        jdbc.update("UPDATE message SET failure = ? WHERE id = ?", bounded(note), messageId);
    }

    /** The provider refused or could not deliver the message: FAILED, with its reason. */
    public void fail(String messageId, String failure, long at) {
        failWhere("", messageId, failure, at);
    }

    /**
     * FAILED with its reason, unless the message got past accepted already (a send that went through and then
     * failed to be recorded must not be reported failed); true when it was failed now.
     */
    public boolean failUnfinished(String messageId, String failure, long at) {
        return failWhere(" AND status = '" + MessageStatus.ACCEPTED + "'", messageId, failure, at);
    }

    private boolean failWhere(String condition, String messageId, String failure, long at) {
        boolean failed = jdbc.update("UPDATE message SET status = ?, failure = ? WHERE id = ?" + condition,
                MessageStatus.FAILED.name(), bounded(failure), messageId) == 1;
        if (failed) {
            stamp(messageId, MessageStatus.FAILED.name(), at);
            statusChanged(messageId, MessageStatus.FAILED, bounded(failure));
        }
        return failed;
    }

    /** What fits the failure column (2,000 characters): its log line. */
    private static String bounded(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 2000);
    }

    /** Stamps a status the message reached without making it the current one: a receipt that arrived late. */
    public void stampOnly(String messageId, MessageStatus status, long at) {
        stamp(messageId, status.name(), at);
    }

    /** The contact's outbound messages sent up to {@code watermark} and not yet read: what a read watermark covers. */
    public List<String> unreadSentBefore(String contactId, long watermark) {
        return jdbc.queryForList("SELECT id FROM message WHERE contact_id = ? AND direction = 'OUTBOUND'"
                + " AND status IN (?, ?) AND created_at <= ?", String.class, contactId, MessageStatus.SENT.name(),
                MessageStatus.DELIVERED.name(), watermark);
    }

    /** The session's messages, oldest first; the index on (session_id, created_at, seq) keeps this to its size. */
    public List<MessageRecord> inSession(String sessionId) {
        return jdbc.query("SELECT " + SELECTED + " FROM message WHERE session_id = ? ORDER BY created_at, seq",
                ROW, sessionId);
    }

    /** A message with its place in the order messages were stored. */
    public record Sequenced(long seq, MessageRecord message) {
    }

    /**
     * The contact's messages of both directions in the order they were stored: those after {@code afterSeq}, or
     * the last {@code limit} when it is null. Stored in order: the group commit writes one batch at a time.
     */
    public List<Sequenced> ofContact(String contactId, Long afterSeq, int limit) {
        if (afterSeq != null) {
            return jdbc.query("SELECT " + SELECTED + ", seq FROM message WHERE contact_id = ? AND seq > ?"
                    + " ORDER BY seq LIMIT ?", SEQUENCED, contactId, afterSeq, limit);
        }
        List<Sequenced> newest = new ArrayList<>(jdbc.query("SELECT " + SELECTED + ", seq FROM message"
                + " WHERE contact_id = ? ORDER BY seq DESC LIMIT ?", SEQUENCED, contactId, limit));
        Collections.reverse(newest);
        return newest;
    }

    public Optional<Sequenced> findSequenced(String messageId) {
        return jdbc.query("SELECT " + SELECTED + ", seq FROM message WHERE id = ?", SEQUENCED, messageId).stream()
                .findFirst();
    }

    /** Keeps the tags its callback carried (JSON), the first time only: every attempt sends the same. */
    public void tag(String messageId, String tags) {
        jdbc.update("UPDATE message SET tags = ? WHERE id = ? AND tags IS NULL", tags, messageId);
    }

    /** Status stamps of every message in the session: message id to (status to epoch millis). */
    public Map<String, Map<String, Long>> stampsInSession(String sessionId) {
        Map<String, Map<String, Long>> stamps = new LinkedHashMap<>();
        jdbc.query("SELECT s.message_id, s.status, s.stamped_at FROM message_stamp s"
                + " JOIN message m ON m.id = s.message_id WHERE m.session_id = ? ORDER BY s.stamped_at",
                rs -> {
                    stamps.computeIfAbsent(rs.getString(1), id -> new LinkedHashMap<>())
                            .put(rs.getString(2).toLowerCase(java.util.Locale.ROOT), rs.getLong(3));
                }, sessionId);
        return stamps;
    }

    /** The statuses the message reached, each with when, in that order. */
    public List<Stamp> stampsOf(String messageId) {
        return jdbc.query("SELECT status, stamped_at FROM message_stamp WHERE message_id = ? ORDER BY stamped_at",
                (rs, n) -> new Stamp(rs.getString(1), rs.getLong(2)), messageId);
    }

    public record Stamp(String status, long at) {
    }

    private void stamp(String messageId, String status, long at) {
        Integer present = jdbc.queryForObject(
                "SELECT COUNT(*) FROM message_stamp WHERE message_id = ? AND status = ?", Integer.class,
                messageId, status);
        if (present == null || present == 0) {
            insertStamp(messageId, status, at);
        }
    }

    private void insertStamp(String messageId, String status, long at) {
        jdbc.update("INSERT INTO message_stamp (message_id, status, stamped_at) VALUES (?, ?, ?)", messageId, status,
                at);
    }
}
