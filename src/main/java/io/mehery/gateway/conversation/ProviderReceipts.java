package io.mehery.gateway.conversation;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.mehery.gateway.store.ContactStore;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStatus;
import io.mehery.gateway.store.MessageStore;

/**
 * A provider's word on a message the gateway sent (sent, delivered, read, failed), found by the id the provider
 * gave it, written through the group commit. Receipts may come out of order: each is stamped, but the status only
 * moves forward, and a failure ends it.
 */
@Service
public class ProviderReceipts {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderReceipts.class);

    private final MessageStore messages;
    private final ContactStore contacts;
    private final GroupCommit commits;

    public ProviderReceipts(MessageStore messages, ContactStore contacts, GroupCommit commits) {
        this.messages = messages;
        this.contacts = contacts;
        this.commits = commits;
    }

    /** A read watermark: every message sent to the user up to then is read. */
    public void readUpTo(String tenantId, String channelId, String userAddress, long watermark) {
        commits.run(() -> contacts.find(tenantId, channelId, userAddress).ifPresent(contact -> messages
                .unreadSentBefore(contact.id(), watermark)
                .forEach(id -> messages.advance(id, MessageStatus.READ, null, watermark))));
    }

    /** @return false when no message of the channel has that provider id (not sent by this gateway) */
    public boolean apply(String tenantId, String channelId, String messageIdExt, MessageStatus status, long at,
            String failure) {
        return commits.write(() -> record(tenantId, channelId, messageIdExt, status, at, failure));
    }

    private boolean record(String tenantId, String channelId, String messageIdExt, MessageStatus reached, long at,
            String failure) {
        Optional<MessageRecord> found = messages.findByExternalId(tenantId, channelId,
                MessageRecord.Direction.OUTBOUND, messageIdExt);
        if (found.isEmpty()) {
            LOG.info("Receipt '{}' for unknown message {} on channel {}", reached, messageIdExt, channelId);
            return false;
        }
        MessageRecord message = found.get();
        if (!MessageStatus.valueOf(message.status()).movesTo(reached)) {
            messages.stampOnly(message.id(), reached, at);
        } else if (reached == MessageStatus.FAILED) {
            messages.fail(message.id(), failure, at);
        } else {
            messages.advance(message.id(), reached, null, at);
        }
        return true;
    }
}
