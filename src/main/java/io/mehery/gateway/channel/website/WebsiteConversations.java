package io.mehery.gateway.channel.website;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.api.model.Template;
import io.mehery.gateway.channel.website.VisitorTokens.Visitor;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.media.MediaLinks;
import io.mehery.gateway.provider.TemplateTexts;
import io.mehery.gateway.store.ContactRecord;
import io.mehery.gateway.store.ContactStore;
import io.mehery.gateway.store.MediaFileStore;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStore.Sequenced;
import io.mehery.gateway.store.MessageStore;

/**
 * A visitor's conversation as the widget reads it: every message of both directions with the visitor, across
 * sessions, in the order stored. What was sent masked is shown masked: the store keeps no other copy of it.
 */
@Component("websiteConversations")
public class WebsiteConversations {

    /** The most messages one read returns; the widget reads on from the last it got. */
    static final int PAGE = 100;

    private final LiveConfiguration live;
    private final ContactStore contacts;
    private final MessageStore messages;
    private final MediaFileStore files;
    private final TemplateTexts templates;
    private final ObjectMapper json;

    public WebsiteConversations(LiveConfiguration live, ContactStore contacts, MessageStore messages,
            MediaFileStore files, TemplateTexts templates, ObjectMapper json) {
        this.live = live;
        this.contacts = contacts;
        this.messages = messages;
        this.files = files;
        this.templates = templates;
        this.json = json;
    }

    /** GET /webhooks/website/{channelId}: the last messages, or those after {@code after}. */
    public Map<String, Object> messages(@ExchangeProperty(RouteProperties.VISITOR) Visitor visitor,
            @Header("after") Long after) {
        List<WebchatMessage> shown = contactOf(visitor)
                .map(contact -> messages.ofContact(contact.id(), after, PAGE).stream().map(this::viewOf).toList())
                .orElse(List.of());
        return Map.of("messages", shown);
    }

    /** GET /webhooks/website/{channelId}/files/{id}: a file the visitor sent, to the visitor only. */
    public void file(@ExchangeProperty(RouteProperties.VISITOR) Visitor visitor, @Header("id") String id,
            Exchange exchange) {
        MessageRecord message = messages.find(id)
                .filter(m -> m.direction() == MessageRecord.Direction.INBOUND && MediaLinks.isMedia(m.type()))
                .filter(m -> contactOf(visitor).map(c -> c.id().equals(m.contactId())).orElse(false))
                .orElseThrow(() -> ApiException.notFound("FILE_NOT_FOUND", "id", "No file '" + id
                        + "' of this visitor"));
        byte[] bytes = files.find(message.id()).orElseThrow(() -> ApiException.notFound("FILE_NOT_FOUND", "id",
                "The file is no longer kept"));
        var out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.CONTENT_TYPE, read(message.content()).path("mime_type")
                .asText("application/octet-stream"));
        out.setHeader("Content-Disposition", "attachment");
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setBody(bytes);
    }

    Optional<ContactRecord> contactOf(Visitor visitor) {
        return contacts.find(live.channels().get(visitor.channelId()).tenant(), visitor.channelId(),
                visitor.address());
    }

    /** A stored message as the widget shows it. */
    public WebchatMessage viewOf(Sequenced stored) {
        MessageRecord m = stored.message();
        return view(stored, m.text(), read(m.content()), !m.masked());
    }

    /** A message being sent, shown with what the client sent (the store may hold it masked). */
    public WebchatMessage viewOf(Sequenced stored, MessageSendRequest sent) {
        Object part = switch (sent.type()) {
            case TEXT -> sent.text();
            case TEMPLATE -> sent.template();
            case LOCATION -> sent.location();
            default -> sent.media();
        };
        JsonNode content = json.valueToTree(part);
        String text = switch (sent.type()) {
            case TEXT -> sent.text().body();
            case LOCATION -> stored.message().text();
            default -> content.path("caption").asText(null);
        };
        return view(stored, text, content, true);
    }

    /** @param real whether the content is what the client sent (not the masked copy a masked send leaves) */
    private WebchatMessage view(Sequenced stored, String text, JsonNode content, boolean real) {
        MessageRecord m = stored.message();
        boolean fromVisitor = m.direction() == MessageRecord.Direction.INBOUND;
        WebchatMessage.File file = null;
        if (MediaLinks.isMedia(m.type())) {
            Media media = json.convertValue(content, Media.class);
            String url = fromVisitor ? "/webhooks/website/" + m.channelId() + "/files/" + m.id() : media.link();
            file = new WebchatMessage.File(url, media.mimeType(), media.filename(), media.caption());
        }
        List<Template.Button> buttons = null;
        if ("template".equals(m.type()) && real) {
            Template template = json.convertValue(content, Template.class);
            text = templates.render(template);
            buttons = template.buttons().isEmpty() ? null : template.buttons();
        }
        String clientId = fromVisitor && m.messageIdExt() != null
                ? m.messageIdExt().substring(m.messageIdExt().lastIndexOf('#') + 1) : null;
        return new WebchatMessage(m.id(), stored.seq(), fromVisitor ? "visitor" : "business", clientId, m.type(), text,
                file,
                "location".equals(m.type()) ? content : null, buttons, m.status().toLowerCase(Locale.ROOT),
                m.createdAt());
    }

    private JsonNode read(String content) {
        try {
            return content == null ? json.createObjectNode() : json.readTree(content);
        } catch (IOException e) {
            throw new IllegalStateException("Stored message content is not JSON", e);
        }
    }
}
