package io.mehery.gateway.delivery;

import java.util.List;
import java.util.Optional;

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
import io.mehery.gateway.media.MediaLinks;
import io.mehery.gateway.store.ContactRecord;
import io.mehery.gateway.store.ContactStore;
import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStore;
import io.mehery.gateway.tags.MessageTags;

/**
 * The body of each callback, rendered from the store when its delivery is first tried, so that it shows the
 * contact as the client last described it (its contact/info answer), and then kept for every retry and replay. A
 * received message carries its tags, computed here (off the request thread) and kept with the message once its
 * first attempt is recorded, so that its session's history shows the same.
 */
@Component
public class CallbackPayloads {

    private final ContactStore contacts;
    private final MessageStore messages;
    private final ObjectMapper json;
    private final MediaLinks mediaLinks;
    private final MessageTags tags;

    public CallbackPayloads(ContactStore contacts, MessageStore messages, ObjectMapper json, MediaLinks mediaLinks,
            MessageTags tags) {
        this.tags = tags;
        this.mediaLinks = mediaLinks;
        this.contacts = contacts;
        this.messages = messages;
        this.json = json;
    }

    public String render(DeliveryRecord delivery) {
        ContactRecord contact = contacts.find(delivery.contactId()).orElseThrow(
                () -> new IllegalStateException("delivery " + delivery.id() + " names no stored contact"));
        Object body = switch (CallbackKind.of(delivery.kind())) {
            case CONTACT_INFO -> contactOf(contact);
            case MESSAGE_RECEIVE -> new MessageReceiveCallback(
                    delivery.actionCode() == null ? List.of() : List.of(Action.of(delivery.actionCode())),
                    List.of(contactOf(contact)), List.of(received(message(delivery), contact)));
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
        JsonNode part = shown(m, parse(m.content(), m));
        JsonNode original = "system".equals(m.type()) ? part : parse(m.context().originalMessage(), m);
        return new ReceivedMessage(contact.id(), contact.csid(), m.id(), m.messageIdExt(),
                new ReceivedMessage.Session(m.sessionId(), null, null), tagsOf(m), m.createdAt(), m.type(),
                partIf(m, "text", part), partIf(m, "image", part), partIf(m, "audio", part),
                partIf(m, "video", part), partIf(m, "voice", part), partIf(m, "document", part),
                partIf(m, "location", part), original);
    }

    /** The tags kept for the message (its callback made before), else those of its text now. */
    private Tags tagsOf(MessageRecord m) {
        return m.tags() != null ? tags.kept(m.id(), m.tags()) : tags.of(m);
    }

    /** The tags a message/receive payload carries (JSON), to be kept with its message. */
    public Optional<String> tagsIn(String payload) {
        try {
            JsonNode carried = json.readTree(payload).path("messages").path(0).path("tags");
            return carried.isObject() ? Optional.of(carried.toString()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * The part as the contract has it: a text says its type; a file says its type, has an id (the provider's, else
     * the message's) and links to the gateway's copy wherever the gateway fetches it for the client.
     */
    private JsonNode shown(MessageRecord m, JsonNode part) {
        if (part instanceof ObjectNode object && !"system".equals(m.type())) {
            // a key the provider did not give is left out, as the contract's optional properties are
            object.properties().removeIf(field -> field.getValue().isNull());
        }
        if (part instanceof ObjectNode object && ("text".equals(m.type()) || MediaLinks.isMedia(m.type()))) {
            if (!object.hasNonNull("type")) {
                object.put("type", m.type());
            }
            if (MediaLinks.isMedia(m.type())) {
                if (!object.hasNonNull("id")) {
                    object.put("id", m.id());
                }
                mediaLinks.of(m).ifPresent(link -> object.put("link", link));
            }
        }
        return part;
    }

    private JsonNode parse(String stored, MessageRecord m) {
        if (stored == null) {
            return null;
        }
        try {
            return json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored content of message " + m.id() + " is not JSON", e);
        }
    }

    private static JsonNode partIf(MessageRecord m, String type, JsonNode part) {
        return type.equals(m.type()) ? part : null;
    }
}
