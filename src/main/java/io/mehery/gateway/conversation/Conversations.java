package io.mehery.gateway.conversation;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Consumer;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.store.ContactRecord;
import io.mehery.gateway.store.ContactStore;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStore;
import io.mehery.gateway.store.SessionStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Puts a message into its contact's conversation: contact, then session, then the message, in one transaction.
 * Counts the messages committed ({@code mehery.messages.accepted}, by direction: inbound from users, outbound to
 * send), the accepts and sends of the console's overview.
 */
@Service
public class Conversations {

    public static final String ACCEPTED = "mehery.messages.accepted";

    private final ContactStore contacts;
    private final SessionStore sessions;
    private final MessageStore messages;
    private final MeheryProperties properties;
    private final Clock clock;
    private final Counter inbound;
    private final Counter outbound;

    public Conversations(ContactStore contacts, SessionStore sessions, MessageStore messages,
            MeheryProperties properties, Clock clock, MeterRegistry registry) {
        this.contacts = contacts;
        this.sessions = sessions;
        this.messages = messages;
        this.properties = properties;
        this.clock = clock;
        this.inbound = accepted(registry, MessageRecord.Direction.INBOUND);
        this.outbound = accepted(registry, MessageRecord.Direction.OUTBOUND);
    }

    private static Counter accepted(MeterRegistry registry, MessageRecord.Direction direction) {
        return Counter.builder(ACCEPTED).description("Messages committed: inbound from users, outbound to send")
                .tag("direction", direction.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
    }

    /**
     * Appends the draft to the conversation of the user at {@code address} on the channel. {@code guard} sees the
     * contact once it is locked and may refuse by throwing, so checks such as consent cannot race a change. In a
     * savepoint of its own: a message whose provider id is stored already fails here, undone whole, and leaves
     * the caller's transaction (a group commit's batch) usable.
     */
    @Transactional(propagation = Propagation.NESTED)
    public Appended append(String channelId, Channel channel, String address, String name, Draft draft,
            Consumer<ContactRecord> guard) {
        return append(UUID.randomUUID().toString(), channelId, channel, address, name, draft, guard);
    }

    /**
     * As {@link #append}, the message stored under an id chosen before (that of a file kept for it); in a savepoint
     * of its own too, which PostgreSQL needs: after a failed statement it refuses every other one of the transaction
     * until the savepoint is rolled back, so the caller could not even read the message stored before.
     */
    @Transactional(propagation = Propagation.NESTED)
    public Appended append(String messageId, String channelId, Channel channel, String address, String name,
            Draft draft, Consumer<ContactRecord> guard) {
        long now = clock.millis();
        ContactStore.Found found = contacts.findOrCreate(channel.tenant(), channelId, channel.type(),
                address, channel.lane(), name, now);
        ContactRecord contact = found.contact();
        guard.accept(contact);
        // only the user's channel names them; a name in a send request is kept for a contact it creates
        boolean renamed = draft.direction() == MessageRecord.Direction.INBOUND && !found.created() && name != null
                && !name.isBlank() && !name.equals(contact.channelName());
        if (renamed) {
            contacts.renameOnChannel(contact.id(), name, now);
        }
        String sessionId = draft.thread() != null && sessions.resume(draft.thread(), contact, now) ? draft.thread()
                : sessions.continueOrOpen(contact, now, properties.sessions().idleTimeout());
        String sender = draft.direction() == MessageRecord.Direction.INBOUND ? address : channel.lane();
        MessageRecord message = new MessageRecord(messageId, channel.tenant(), channelId,
                sessionId, contact.id(), draft.direction(), draft.type(), draft.status(), draft.text(),
                draft.content(), draft.masked(), draft.messageIdExt(), sender, now, null, null, draft.context());
        messages.insert(message);
        Counter counted = draft.direction() == MessageRecord.Direction.INBOUND ? inbound : outbound;
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                counted.increment();
            }
        });
        return new Appended(message, contact, found.created(), renamed);
    }

    /**
     * A message before it is placed in a conversation; {@code thread} is the session it belongs to by reference
     * (an e-mail reply's), when it has one.
     */
    public record Draft(
            MessageRecord.Direction direction,
            String type,
            String status,
            String text,
            String content,
            boolean masked,
            String messageIdExt,
            MessageRecord.Context context,
            String thread) {

        /** A message of no thread of its own: it joins the contact's open session, or opens one. */
        public Draft(MessageRecord.Direction direction, String type, String status, String text, String content,
                boolean masked, String messageIdExt, MessageRecord.Context context) {
            this(direction, type, status, text, content, masked, messageIdExt, context, null);
        }
    }

    public record Appended(MessageRecord message, ContactRecord contact, boolean contactCreated,
            boolean contactRenamed) {
    }
}
