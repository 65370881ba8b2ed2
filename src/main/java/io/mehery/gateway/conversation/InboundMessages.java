package io.mehery.gateway.conversation;

import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.dao.DuplicateKeyException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.model.InboundReceipt;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStore;

/**
 * Takes a message a user sent on a channel, already in Mehery terms: stores it in the user's conversation and
 * hands on the event to deliver. A message the channel sends again (same provider id) is answered with the
 * receipt it got the first time and is not stored again.
 */
@Service
public class InboundMessages {

    public static final String RECEIVED = "RECEIVED";

    private final Conversations conversations;
    private final MessageStore messages;
    private final ObjectMapper json;

    public InboundMessages(Conversations conversations, MessageStore messages, ObjectMapper json) {
        this.conversations = conversations;
        this.messages = messages;
        this.json = json;
    }

    /**
     * @param part the type's content (the {@code image} object of an image, say), stored as JSON
     * @param text what a person reads of it
     * @param actionCode the button, quick reply or postback the user chose, if the message is one
     */
    public Handoff receive(String channelId, Channel channel, String from, String name, String type, Object part,
            String text, String messageIdExt, String actionCode) {
        Optional<Handoff> again = receivedBefore(channelId, channel, messageIdExt, actionCode);
        if (again.isPresent()) {
            return again.get();
        }
        var draft = new Conversations.Draft(MessageRecord.Direction.INBOUND, type, RECEIVED, text,
                part == null ? null : json.valueToTree(part).toString(), false, messageIdExt);
        Conversations.Appended appended;
        try {
            appended = conversations.append(channelId, channel, from, name, draft, c -> { });
        } catch (DuplicateKeyException raced) {
            // the provider sent the same message twice at once and the other copy was stored first
            return receivedBefore(channelId, channel, messageIdExt, actionCode).orElseThrow(() -> raced);
        }
        MessageRecord message = appended.message();
        return new Handoff(new InboundReceipt(message.id(), message.sessionId(), message.contactId()),
                eventOf(message, channel, appended.contactCreated(), appended.contactRenamed(), actionCode),
                () -> conversations.withdraw(message.id()));
    }

    /**
     * A message stored before is queued again, in case the first hand-off died between the store and the queue:
     * planning an event is idempotent, so a copy that was queued already delivers nothing twice.
     */
    private Optional<Handoff> receivedBefore(String channelId, Channel channel, String messageIdExt,
            String actionCode) {
        if (messageIdExt == null) {
            return Optional.empty();
        }
        return messages.findByExternalId(channel.tenant(), channelId, MessageRecord.Direction.INBOUND, messageIdExt)
                .map(first -> new Handoff(new InboundReceipt(first.id(), first.sessionId(), first.contactId()),
                        eventOf(first, channel, false, false, actionCode), () -> { }));
    }

    private static InboundEvent eventOf(MessageRecord message, Channel channel, boolean contactCreated,
            boolean contactRenamed, String actionCode) {
        return new InboundEvent(message.id(), InboundEvent.MESSAGE_RECEIVED, channel.tenant(), message.channelId(),
                message.id(), message.sessionId(), message.contactId(), contactCreated, contactRenamed, actionCode,
                message.createdAt());
    }
}
