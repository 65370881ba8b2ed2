package io.mehery.gateway.delivery;

import java.util.List;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.api.model.Action;
import io.mehery.gateway.api.model.Contact;
import io.mehery.gateway.api.model.MessageReceiveCallback;
import io.mehery.gateway.api.model.ReceivedMessage;
import io.mehery.gateway.api.model.Tags;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.store.ContactRecord;
import io.mehery.gateway.store.ContactStore;
import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStore;

/**
 * The body of each callback, rendered from the store when its delivery is first tried, so that it shows the
 * contact as the client last described it (its contact/info answer), and then kept for every retry and replay.
 */
@Component
public class CallbackPayloads {

    private final ContactStore contacts;
    private final MessageStore messages;
    private final ObjectMapper json;
    private final String mediaBase;

    public CallbackPayloads(ContactStore contacts, MessageStore messages, ObjectMapper json,
            MeheryProperties properties) {
        this.mediaBase = properties.http().publicUrl().replaceAll("/+$", "") + "/api/v1/media/";
        this.contacts = contacts;
        this.messages = messages;
        this.json = json;
    }

    public String render(DeliveryRecord delivery) {
        ContactRecord contact = contacts.find(delivery.contactId()).orElseThrow(
                () -> new IllegalStateException("delivery " + delivery.id() + " names no stored contact"));
        Object body = switch (CallbackKind.of(delivery.kind())) {
            case CONTACT_INFO -> contactOf(contact);
            case MESSAGE_RECEIVE -> new MessageReceiveCallback(List.of(), List.of(contactOf(contact)),
                    List.of(received(message(delivery), contact)));
            case ACTION_EVENT -> new Action(delivery.actionCode(), contactOf(contact), delivery.sessionId(),
                    delivery.messageId(), message(delivery).createdAt());
        };
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render callback " + delivery.id(), e);
        }
    }

    public static Contact contactOf(ContactRecord contact) {
        return new Contact(contact.id(), contact.contactType(), contact.csid(), contact.lane(),
                new Contact.Profile(contact.email(), contact.mobile(), contact.name()), contact.profileId());
    }

    private MessageRecord message(DeliveryRecord delivery) {
        return messages.find(delivery.messageId()).orElseThrow(
                () -> new IllegalStateException("delivery " + delivery.id() + " names no stored message"));
    }

    private ReceivedMessage received(MessageRecord m, ContactRecord contact) {
        JsonNode part = withMediaLink(m, content(m));
        return new ReceivedMessage(contact.id(), contact.csid(), m.id(), m.messageIdExt(),
                new ReceivedMessage.Session(m.sessionId(), null, null), Tags.NONE, m.createdAt(), m.type(),
                partIf(m, "text", part), partIf(m, "image", part), partIf(m, "audio", part),
                partIf(m, "video", part), partIf(m, "voice", part), partIf(m, "document", part),
                partIf(m, "location", part), partIf(m, "system", part));
    }

    /** A provider's media id becomes a link the client can fetch from the gateway (GET /api/v1/media/{id}). */
    private JsonNode withMediaLink(MessageRecord m, JsonNode part) {
        if (part instanceof ObjectNode media && media.hasNonNull("id") && !media.hasNonNull("link")) {
            media.put("link", mediaBase + m.id());
        }
        return part;
    }

    private JsonNode content(MessageRecord m) {
        if (m.content() == null) {
            return null;
        }
        try {
            return json.readTree(m.content());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored content of message " + m.id() + " is not JSON", e);
        }
    }

    private static JsonNode partIf(MessageRecord m, String type, JsonNode part) {
        return type.equals(m.type()) ? part : null;
    }
}
