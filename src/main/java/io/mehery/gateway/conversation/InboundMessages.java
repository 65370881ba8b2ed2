package io.mehery.gateway.conversation;

import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.model.InboundReceipt;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.delivery.CallbackPlanner;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStatus;
import io.mehery.gateway.store.MessageStore;

/**
 * Takes a message a user sent on a channel, already in Mehery terms: stores it in the user's conversation with the
 * callbacks it owes the client, in one transaction of the group commit. A message the channel sends again (same
 * provider id) fails on the unique provider id, is rolled back to its savepoint, and is answered with the receipt
 * it got the first time; its callbacks were planned with it.
 */
@Service
public class InboundMessages {

    private final Conversations conversations;
    private final MessageStore messages;
    private final CallbackPlanner callbacks;
    private final GroupCommit commits;
    private final ObjectMapper json;

    public InboundMessages(Conversations conversations, MessageStore messages, CallbackPlanner callbacks,
            GroupCommit commits, ObjectMapper json) {
        this.conversations = conversations;
        this.messages = messages;
        this.callbacks = callbacks;
        this.commits = commits;
        this.json = json;
    }

    /**
     * @param part the type's content (the {@code image} object of an image, say), stored as JSON
     * @param text what a person reads of it
     * @param actionCode the button, quick reply or postback the user chose, if the message is one
     */
    public Accepted receive(String channelId, Channel channel, String from, String name, String type, Object part,
            String text, String messageIdExt, String actionCode) {
        var draft = new Conversations.Draft(MessageRecord.Direction.INBOUND, type, MessageStatus.RECEIVED.name(),
                text, part == null ? null : json.valueToTree(part).toString(), false, messageIdExt);
        return commits.write(() -> {
            Conversations.Appended appended;
            try {
                appended = conversations.append(channelId, channel, from, name, draft, c -> { });
            } catch (DuplicateKeyException again) {
                // the provider sent this message before (its id is stored once per channel): the first receipt
                return receivedBefore(channelId, channel, messageIdExt).orElseThrow(() -> again);
            }
            MessageRecord message = appended.message();
            callbacks.plan(new InboundEvent(message.id(), InboundEvent.MESSAGE_RECEIVED, channel.tenant(),
                    message.channelId(), message.id(), message.sessionId(), message.contactId(),
                    appended.contactCreated(), appended.contactRenamed(), actionCode, message.createdAt()));
            return receiptOf(message);
        });
    }

    private Optional<Accepted> receivedBefore(String channelId, Channel channel, String messageIdExt) {
        if (messageIdExt == null) {
            return Optional.empty();
        }
        return messages.findByExternalId(channel.tenant(), channelId, MessageRecord.Direction.INBOUND, messageIdExt)
                .map(InboundMessages::receiptOf);
    }

    private static Accepted receiptOf(MessageRecord message) {
        return Accepted.of(new InboundReceipt(message.id(), message.sessionId(), message.contactId()));
    }
}
