package io.mehery.gateway.conversation;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.model.InboundReceipt;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.delivery.CallbackKind;
import io.mehery.gateway.delivery.CallbackPlanner;
import io.mehery.gateway.delivery.InboundEvent;
import io.mehery.gateway.store.DeliveryStore;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MediaFileStore;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStatus;
import io.mehery.gateway.store.MessageStore;
import io.mehery.gateway.tap.TapData;
import io.mehery.gateway.tap.Taps;

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
    private final MediaFileStore files;
    private final DeliveryStore deliveries;
    private final CallbackPlanner callbacks;
    private final GroupCommit commits;
    private final ObjectMapper json;
    private final Clock clock;
    private final Taps taps;

    public InboundMessages(Conversations conversations, MessageStore messages, MediaFileStore files,
            DeliveryStore deliveries, CallbackPlanner callbacks, GroupCommit commits, ObjectMapper json, Clock clock,
            Taps taps) {
        this.taps = taps;
        this.files = files;
        this.conversations = conversations;
        this.messages = messages;
        this.deliveries = deliveries;
        this.callbacks = callbacks;
        this.commits = commits;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param from the user's address on the channel
     * @param name the user's name as the channel gives it, if it does
     * @param messageIdExt the provider's id of the message, unique on the channel
     */
    public Accepted receive(String channelId, Channel channel, String from, String name, String messageIdExt,
            MeheryMessage message) {
        if (message.file() == null) {
            return store(UUID.randomUUID().toString(), channelId, channel, from, name, messageIdExt, message);
        }
        String messageId = files.keep(message.file());
        Accepted accepted = null;
        try {
            accepted = store(messageId, channelId, channel, from, name, messageIdExt, message);
            return accepted;
        } finally {
            if (accepted == null || !(accepted.receipt() instanceof InboundReceipt receipt)
                    || !receipt.id().equals(messageId)) {
                files.forget(messageId);
            }
        }
    }

    private Accepted store(String messageId, String channelId, Channel channel, String from, String name,
            String messageIdExt, MeheryMessage message) {
        return commits.write(() -> {
            Optional<MessageStore.Reference> repliedTo = message.replyIdExt() == null ? Optional.empty()
                    : messages.referenceOf(channel.tenant(), channelId, message.replyIdExt());
            // mail threads by its references: a reply joins the conversation it answers, however old
            String thread = channel.type().addressesByEmail()
                    ? repliedTo.map(MessageStore.Reference::sessionId).orElse(null) : null;
            var draft = new Conversations.Draft(MessageRecord.Direction.INBOUND, message.type(),
                    MessageStatus.RECEIVED.name(), message.text(), jsonOf(message.part()), false, messageIdExt,
                    new MessageRecord.Context(message.actionCode(), message.replyIdExt(),
                            repliedTo.map(MessageStore.Reference::messageId).orElse(null),
                            jsonOf(message.originalMessage())), thread);
            Conversations.Appended appended;
            try {
                appended = conversations.append(messageId, channelId, channel, from, name, draft, c -> { });
            } catch (DuplicateKeyException again) {
                // the provider sent this message before (its id is stored once per channel): the first receipt
                return receivedBefore(channelId, channel, messageIdExt).orElseThrow(() -> again);
            }
            MessageRecord stored = appended.message();
            callbacks.plan(new InboundEvent(stored.id(), InboundEvent.MESSAGE_RECEIVED, channel.tenant(),
                    stored.channelId(), stored.id(), stored.sessionId(), stored.contactId(),
                    appended.contactCreated(), appended.contactRenamed(), message.actionCode(), stored.createdAt()));
            publish(channel, channelId, stored, from, message, false);
            return receiptOf(stored);
        });
    }

    /**
     * The user edited a message the provider knows as {@code messageIdExt}: the stored message takes the edit and the
     * client gets message/receive again, same message id, with the provider's edit as {@code originalMessage}.
     * {@code editId} names this edit (a provider sends an edit again when it got no answer): an edit seen before is
     * answered with the receipt and planned once. An edit of a message the gateway never stored is a new message.
     */
    public Accepted edit(String channelId, Channel channel, String from, String name, String messageIdExt,
            String editId, MeheryMessage edited) {
        Optional<MessageRecord> original = messages.findByExternalId(channel.tenant(), channelId,
                MessageRecord.Direction.INBOUND, messageIdExt);
        if (original.isEmpty()) {
            return receive(channelId, channel, from, name, messageIdExt, edited);
        }
        MessageRecord message = original.get();
        String eventId = UUID.nameUUIDFromBytes((message.id() + "/edit/" + editId).getBytes(StandardCharsets.UTF_8))
                .toString();
        return commits.write(() -> {
            if (deliveries.find(CallbackPlanner.webhookId(eventId, CallbackKind.MESSAGE_RECEIVE)).isEmpty()) {
                long now = clock.millis();
                messages.edit(message.id(), edited.text(), jsonOf(edited.part()), jsonOf(edited.originalMessage()),
                        now);
                callbacks.plan(new InboundEvent(eventId, InboundEvent.MESSAGE_RECEIVED, channel.tenant(), channelId,
                        message.id(), message.sessionId(), message.contactId(), false, false, null, now));
                publish(channel, channelId, message, from, edited, true);
            }
            return receiptOf(message);
        });
    }

    /** The taps' copy of a message received, or of its edit (the same message id, {@code edited: true}). */
    private void publish(Channel channel, String channelId, MessageRecord stored, String from, MeheryMessage message,
            boolean edited) {
        taps.publish(Taps.INBOUND_MESSAGE, channel.tenant(), channelId, () -> TapData.of("messageId", stored.id(),
                "sessionId", stored.sessionId(), "contactId", stored.contactId(), "from", from, "type",
                message.type(), "text", message.text(), "actionCode", message.actionCode(), "edited", edited));
    }

    private Optional<Accepted> receivedBefore(String channelId, Channel channel, String messageIdExt) {
        if (messageIdExt == null) {
            return Optional.empty();
        }
        return messages.findByExternalId(channel.tenant(), channelId, MessageRecord.Direction.INBOUND, messageIdExt)
                .map(InboundMessages::receiptOf);
    }

    private String jsonOf(Object value) {
        return value == null ? null : json.valueToTree(value).toString();
    }

    private static Accepted receiptOf(MessageRecord message) {
        return Accepted.of(new InboundReceipt(message.id(), message.sessionId(), message.contactId()));
    }
}
