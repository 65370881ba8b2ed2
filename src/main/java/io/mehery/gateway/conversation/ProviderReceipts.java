package io.mehery.gateway.conversation;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.mehery.gateway.store.ContactStore;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStore;

/**
 * A provider's word on a message the gateway sent (sent, delivered, read, failed), found by the id the provider
 * gave it, written through the group commit. Receipts may come out of order: each is stamped, but the status only
 * moves forward, and a failure ends it.
 */
@Service
public class ProviderReceipts {

    public static final String FAILED = "FAILED";
    private static final List<String> PROGRESS = List.of(OutboundMessages.ACCEPTED, "SENT", "DELIVERED", "READ");
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
                .forEach(id -> messages.advance(id, "READ", null, watermark))));
    }

    /** @return false when no message of the channel has that provider id (not sent by this gateway) */
    public boolean apply(String tenantId, String channelId, String messageIdExt, String status, long at,
            String failure) {
        return commits.write(() -> record(tenantId, channelId, messageIdExt, status, at, failure));
    }

    private boolean record(String tenantId, String channelId, String messageIdExt, String status, long at,
            String failure) {
        Optional<MessageRecord> found = messages.findByExternalId(tenantId, channelId,
                MessageRecord.Direction.OUTBOUND, messageIdExt);
        if (found.isEmpty()) {
            LOG.info("Receipt '{}' for unknown message {} on channel {}", status, messageIdExt, channelId);
            return false;
        }
        MessageRecord message = found.get();
        String reached = status.toUpperCase(Locale.ROOT);
        if (FAILED.equals(reached)) {
            messages.fail(message.id(), failure, at);
        } else if (FAILED.equals(message.status())
                || PROGRESS.indexOf(reached) <= PROGRESS.indexOf(message.status())) {
            messages.stampOnly(message.id(), reached, at);
        } else {
            messages.advance(message.id(), reached, null, at);
        }
        return true;
    }
}
