package io.mehery.gateway.conversation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.TenantScope;
import io.mehery.gateway.api.model.Location;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.SessionMessage;
import io.mehery.gateway.api.model.Tags;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.media.MediaLinks;
import io.mehery.gateway.store.ContactRecord;
import io.mehery.gateway.store.ContactStore;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStatus;
import io.mehery.gateway.store.MessageStore;
import io.mehery.gateway.store.SessionStore;
import io.mehery.gateway.tags.MessageTags;

/** A session's messages of both directions, oldest first, in the spec's session-message model. */
@Component("sessionHistory")
public class SessionHistory {

    private final SessionStore sessions;
    private final MessageStore messages;
    private final ContactStore contacts;
    private final LiveConfiguration live;
    private final ObjectMapper json;
    private final MediaLinks mediaLinks;
    private final MessageTags tags;

    public SessionHistory(SessionStore sessions, MessageStore messages, ContactStore contacts,
            LiveConfiguration live, ObjectMapper json, MediaLinks mediaLinks, MessageTags tags) {
        this.mediaLinks = mediaLinks;
        this.tags = tags;
        this.sessions = sessions;
        this.messages = messages;
        this.contacts = contacts;
        this.live = live;
        this.json = json;
    }

    /** A session's messages: a tenant's own, or (the operator's key) those of the tenant it names. */
    public List<SessionMessage> messages(@ExchangeProperty(RouteProperties.TENANT) String caller,
            @Header("tenant") String asked, @Header("sessionId") String sessionId) {
        String tenantId = TenantScope.actedOn(caller, asked);
        if (!sessions.belongsTo(sessionId, tenantId)) {
            throw ApiException.notFound("SESSION_NOT_FOUND", "sessionId", "No session '" + sessionId
                    + "' for this tenant");
        }
        List<MessageRecord> stored = messages.inSession(sessionId);
        if (stored.isEmpty()) {
            return List.of();
        }
        Map<String, Map<String, Long>> stamps = messages.stampsInSession(sessionId);
        ContactRecord contact = contacts.find(stored.get(0).contactId()).orElseThrow();
        SessionMessage.Contact shownContact = toContact(contact);
        return stored.stream().map(m -> toSessionMessage(m, shownContact, stamps.getOrDefault(m.id(), Map.of()),
                tagsOf(m))).toList();
    }

    /** The tags its callback carried, or, before its callback is made, those of its text now. */
    private Tags tagsOf(MessageRecord m) {
        return m.tags() == null ? tags.locally(m) : tags.kept(m.id(), m.tags());
    }

    private SessionMessage.Contact toContact(ContactRecord contact) {
        var channel = live.channels().get(contact.channelId());
        String channelType = channel == null ? contact.contactType() : channel.type().name();
        return new SessionMessage.Contact(channelType, contact.id(), contact.contactType(), contact.csid(),
                contact.email(), contact.lane(), contact.name(), contact.mobile(), contact.profileId());
    }

    private SessionMessage toSessionMessage(MessageRecord m, SessionMessage.Contact contact,
            Map<String, Long> stamps, Tags tags) {
        String direction = m.direction().name().toLowerCase(java.util.Locale.ROOT);
        String templateId = "template".equals(m.type()) ? field(m.content(), "id") : null;
        MessageRecord.Context context = m.context();
        return new SessionMessage(context.actionCode(), attachments(m), null, contact,
                m.failure() == null ? List.of() : List.of(m.failure()), m.id(), m.messageIdExt(), context.replyId(),
                meta(m, direction), contact.name(), context.replyId(), context.replyIdExt(), m.sender(), m.sessionId(),
                stamps, MessageStatus.valueOf(m.status()).json(),
                tags, null, templateId, m.text(), m.createdAt(), m.type());
    }

    /** Where the message went and how; a location keeps its coordinates and address here (text has its name). */
    private Map<String, Object> meta(MessageRecord m, String direction) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("direction", direction);
        meta.put("channelId", m.channelId());
        meta.put("masked", m.masked());
        if ("location".equals(m.type()) && m.content() != null) {
            meta.put("location", read(m.content(), Location.class));
        }
        return meta;
    }

    private List<SessionMessage.Attachment> attachments(MessageRecord m) {
        if (!MediaLinks.isMedia(m.type()) || m.content() == null) {
            return List.of();
        }
        Media media = read(m.content(), Media.class);
        return List.of(new SessionMessage.Attachment(media.caption(), media.id() == null ? m.id() : media.id(),
                media.mimeType(), media.filename(), media.link(), mediaType(m.type(), media.mimeType()),
                mediaLinks.of(m).orElse(null)));
    }

    /** The spec's media types, with AUDIO added: a voice note or song is not a document to a reader. */
    private static String mediaType(String type, String mimeType) {
        return switch (type) {
            case "image" -> "IMAGE";
            case "video" -> "VIDEO";
            case "audio", "voice" -> "AUDIO";
            default -> "application/pdf".equals(mimeType) ? "PDF" : "DOCUMENT";
        };
    }

    private String field(String content, String name) {
        if (content == null) {
            return null;
        }
        var node = read(content, com.fasterxml.jackson.databind.JsonNode.class).get(name);
        return node == null || node.isNull() ? null : node.asText();
    }

    private <T> T read(String content, Class<T> type) {
        try {
            return json.readValue(content, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored message content is not JSON", e);
        }
    }
}
