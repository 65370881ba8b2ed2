package io.mehery.gateway.store;

import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.mehery.gateway.config.ChannelType;

@Repository
public class ContactStore {

    private static final String COLUMNS =
            "id, tenant_id, channel_id, contact_type, csid, lane, name, email, mobile, profile_id, consent, labels,"
            + " channel_name";
    private static final RowMapper<ContactRecord> ROW = (rs, n) -> new ContactRecord(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
            rs.getString(8), rs.getString(9), rs.getString(10),
            rs.getString(11) == null ? null : ContactRecord.Consent.valueOf(rs.getString(11)), rs.getString(12),
            rs.getString(13));

    private final JdbcTemplate jdbc;
    private final TransactionTemplate savepoint;

    public ContactStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    public Optional<ContactRecord> find(String tenantId, String channelId, String csid) {
        return jdbc.query("SELECT " + COLUMNS + " FROM contact WHERE tenant_id = ? AND channel_id = ? AND csid = ?",
                ROW, tenantId, channelId, csid).stream().findFirst();
    }

    public Optional<ContactRecord> find(String contactId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM contact WHERE id = ?", ROW, contactId).stream().findFirst();
    }

    /**
     * The contact at that address, created if new. The insert runs in a savepoint so that two first messages from
     * one new user racing each other (on two instances) end with one contact: the loser's insert fails on the unique
     * address, is rolled back to the savepoint, and it reads the winner's row, the caller's transaction intact.
     * The contact stays locked until the caller's transaction ends: everything done to one contact's conversation
     * (and a check such as its consent) is serialised.
     */
    public Found findOrCreate(String tenantId, String channelId, ChannelType type, String csid, String lane,
            String name, long now) {
        Optional<ContactRecord> existing = findLocked(tenantId, channelId, csid);
        if (existing.isPresent()) {
            return new Found(existing.get(), false);
        }
        String id = UUID.randomUUID().toString();
        try {
            savepoint.executeWithoutResult(status -> jdbc.update(
                    "INSERT INTO contact (id, tenant_id, channel_id, contact_type, csid, lane, name, channel_name,"
                            + " email, mobile, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id, tenantId, channelId, type.name(), csid, lane, name, name,
                    type.addressesByEmail() ? csid : null, type.addressesByPhoneNumber() ? csid : null, now, now));
            return new Found(find(id).orElseThrow(), true);
        } catch (DuplicateKeyException raced) {
            return new Found(findLocked(tenantId, channelId, csid).orElseThrow(), false);
        }
    }

    private Optional<ContactRecord> findLocked(String tenantId, String channelId, String csid) {
        return jdbc.query("SELECT " + COLUMNS + " FROM contact WHERE tenant_id = ? AND channel_id = ? AND csid = ?"
                + " FOR UPDATE", ROW, tenantId, channelId, csid).stream().findFirst();
    }

    /** The channel reports a new name for the user: it becomes the contact's name until the client says otherwise. */
    public void renameOnChannel(String contactId, String name, long now) {
        jdbc.update("UPDATE contact SET name = ?, channel_name = ?, updated_at = ? WHERE id = ?", name, name, now,
                contactId);
    }

    public void recordConsent(String contactId, ContactRecord.Consent consent, long now) {
        jdbc.update("UPDATE contact SET consent = ?, consent_at = ?, updated_at = ? WHERE id = ?",
                consent.name(), now, now, contactId);
    }

    /** Takes what the client knows of the contact (its contact/info answer); fields it leaves out stay as they are. */
    public void mergeProfile(String contactId, String profileId, String name, String email, String mobile,
            String labels, long now) {
        jdbc.update("UPDATE contact SET profile_id = COALESCE(?, profile_id), name = COALESCE(?, name),"
                + " email = COALESCE(?, email), mobile = COALESCE(?, mobile), labels = COALESCE(?, labels),"
                + " updated_at = ? WHERE id = ?", profileId, name, email, mobile, labels, now, contactId);
    }

    public record Found(ContactRecord contact, boolean created) {
    }
}
