package io.mehery.gateway.channel.website;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.InboundReceipt;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.Template;
import io.mehery.gateway.channel.website.VisitorTokens.Visitor;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.conversation.Accepted;
import io.mehery.gateway.conversation.InboundMessages;
import io.mehery.gateway.conversation.MeheryMessage;
import io.mehery.gateway.conversation.ProviderReceipts;
import io.mehery.gateway.provider.TemplateTexts;
import io.mehery.gateway.security.Channels;
import io.mehery.gateway.security.Digests;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStatus;
import io.mehery.gateway.store.MessageStore;
import io.mehery.gateway.web.HttpEdgeFilter;

import jakarta.servlet.http.HttpServletRequest;

/**
 * What a visitor's widget sends, over HTTP or its live socket: a text, a tap on a button under a business message
 * (an action, then action/event), a file (kept by the gateway, served as the message's media), and receipts for the
 * business's messages (delivered when the widget has one, read when its panel shows it). A message is known by the
 * visitor and the widget's {@code clientId}, so a widget that sends again after a lost answer stores it once.
 */
@Component("websiteInbound")
public class WebsiteInbound {

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_TEXT = 4096;
    private static final int MAX_RECEIPTS = 100;

    private final Channels channels;
    private final InboundMessages inbound;
    private final MessageStore messages;
    private final ProviderReceipts receipts;
    private final WebsiteConversations conversations;
    private final WebchatSockets sockets;
    private final TemplateTexts templates;
    private final Clock clock;
    private final long maxUpload;
    private final Set<String> uploadTypes;
    private final WebchatLimits limits;

    public WebsiteInbound(Channels channels, InboundMessages inbound, MessageStore messages, ProviderReceipts receipts,
            WebsiteConversations conversations, WebchatSockets sockets, MeheryProperties properties,
            TemplateTexts templates, Clock clock, WebchatLimits limits) {
        this.channels = channels;
        this.inbound = inbound;
        this.messages = messages;
        this.receipts = receipts;
        this.conversations = conversations;
        this.sockets = sockets;
        this.templates = templates;
        this.clock = clock;
        this.maxUpload = properties.webchat().maxUpload().toBytes();
        this.uploadTypes = Set.copyOf(properties.webchat().uploadTypes());
        this.limits = limits;
    }

    /** A text ({@code {"clientId", "text"}}) or a tap ({@code {"clientId", "action": {"messageId", "actionCode"}}}). */
    public Accepted store(@ExchangeProperty(RouteProperties.VISITOR) Visitor visitor,
            @ExchangeProperty(RouteProperties.VISITOR_SOURCE) String source, @Body JsonNode message) {
        String clientId = clientIdOf(message.path("clientId").asText(null));
        JsonNode action = message.get("action");
        MeheryMessage received;
        if (action != null && !action.isNull()) {
            received = choiceOf(visitor, action);
        } else {
            JsonNode text = message.get("text");
            if (text == null || !text.isTextual() || text.asText().isBlank() || text.asText().length() > MAX_TEXT) {
                throw ApiException.badRequest("INVALID_FIELD", "text", "text is the visitor's message: 1 to "
                        + MAX_TEXT + " characters");
            }
            received = MeheryMessage.text(text.asText());
        }
        return receive(visitor, source, clientId, received);
    }

    /** POST .../files: the body is the file, of an allowed type and size, with its name and caption in the query. */
    public Accepted storeFile(@ExchangeProperty(RouteProperties.VISITOR) Visitor visitor,
            @ExchangeProperty(RouteProperties.VISITOR_SOURCE) String source,
            @Header("clientId") String clientId, @Header("filename") String filename,
            @Header("caption") String caption, @Header("Content-Type") String contentType,
            @Header(Exchange.HTTP_SERVLET_REQUEST) HttpServletRequest request) {
        // the body as it arrived: the HTTP layer would read a file as text
        byte[] bytes = request == null ? null : (byte[]) request.getAttribute(HttpEdgeFilter.RAW_BODY);
        String mimeType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!uploadTypes.contains(mimeType)) {
            throw new ApiException(415, List.of(Problem.of("UNSUPPORTED_MEDIA_TYPE", "Content-Type",
                    "A visitor may send files of these types: " + String.join(", ", uploadTypes.stream().sorted()
                            .toList()))));
        }
        if (bytes == null || bytes.length == 0 || bytes.length > maxUpload) {
            throw new ApiException(bytes == null || bytes.length == 0 ? 400 : 413, List.of(Problem.of("INVALID_FILE",
                    "body", "The body is the file: 1 byte to " + maxUpload + " bytes")));
        }
        if (caption != null && caption.length() > MAX_TEXT) {
            throw ApiException.badRequest("INVALID_FIELD", "caption", "caption is at most " + MAX_TEXT
                    + " characters");
        }
        Media media = new Media(caption, safeName(filename), null, null, mimeType, Digests.sha256Hex(bytes));
        return receive(visitor, source, clientIdOf(clientId), MeheryMessage.file(MeheryMessage.mediaTypeOf(mimeType), media,
                bytes));
    }

    /** {@code {"status": "delivered" | "read", "ids": [...]}}: the visitor's widget has, or shows, these messages. */
    public Accepted receipts(@ExchangeProperty(RouteProperties.VISITOR) Visitor visitor, @Body JsonNode receipt) {
        String status = receipt.path("status").asText("");
        MessageStatus reached = switch (status) {
            case "delivered" -> MessageStatus.DELIVERED;
            case "read" -> MessageStatus.READ;
            default -> throw ApiException.badRequest("INVALID_FIELD", "status", "status is delivered or read");
        };
        JsonNode ids = receipt.path("ids");
        if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_RECEIPTS) {
            throw ApiException.badRequest("INVALID_FIELD", "ids", "ids lists 1 to " + MAX_RECEIPTS + " message ids");
        }
        Channel channel = channels.ofType(visitor.channelId(), ChannelType.WEBSITE);
        String contactId = conversations.contactOf(visitor).map(c -> c.id()).orElse(null);
        long now = clock.millis();
        int applied = 0;
        for (JsonNode id : ids) {
            var sentToVisitor = messages.find(id.asText())
                    .filter(m -> m.direction() == MessageRecord.Direction.OUTBOUND && m.contactId().equals(contactId)
                            && m.messageIdExt() != null);
            if (sentToVisitor.isPresent() && receipts.apply(channel.tenant(), visitor.channelId(),
                    sentToVisitor.get().messageIdExt(), reached, now, null)) {
                applied++;
            }
        }
        return Accepted.of(Map.of("applied", applied));
    }

    private Accepted receive(Visitor visitor, String source, String clientId, MeheryMessage received) {
        limits.admitMessage(visitor, source);
        Channel channel = channels.ofType(visitor.channelId(), ChannelType.WEBSITE);
        Accepted accepted = inbound.receive(visitor.channelId(), channel, visitor.address(), visitor.name(),
                visitor.address() + "#" + clientId, received);
        // the visitor's other open tabs show it too
        if (accepted.receipt() instanceof InboundReceipt receipt) {
            messages.findSequenced(receipt.id()).ifPresent(stored -> sockets.push(visitor.channelId(),
                    visitor.address(), Map.of("type", "message", "message", conversations.viewOf(stored))));
        }
        return accepted;
    }

    /** A tap: the code must be one of the buttons of a business message to this visitor. */
    private MeheryMessage choiceOf(Visitor visitor, JsonNode action) {
        String messageId = action.path("messageId").asText("");
        String code = action.path("actionCode").asText("");
        String contactId = conversations.contactOf(visitor).map(c -> c.id()).orElse(null);
        MessageRecord under = messages.find(messageId)
                .filter(m -> m.direction() == MessageRecord.Direction.OUTBOUND && m.contactId().equals(contactId)
                        && "template".equals(m.type()) && !m.masked())
                .orElseThrow(() -> ApiException.badRequest("UNKNOWN_ACTION", "action.messageId",
                        "No message with buttons '" + messageId + "' was sent to this visitor"));
        Template.Button button = templates.buttonsOffered(under).stream().filter(b -> b.actionCode().equals(code)).findFirst()
                .orElseThrow(() -> ApiException.badRequest("UNKNOWN_ACTION", "action.actionCode",
                        "The message has no button with this actionCode"));
        return MeheryMessage.text(button.text()).withAction(code).replyingTo(under.messageIdExt());
    }

    private static String clientIdOf(String clientId) {
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
            throw ApiException.badRequest("INVALID_FIELD", "clientId", "clientId is the widget's id of the message"
                    + " (1 to 64 letters, digits, '-' or '_'): sent again, it is stored once");
        }
        return clientId;
    }

    /** The file's own name, without any folder a browser put before it. */
    private static String safeName(String filename) {
        if (filename == null || filename.isBlank()) {
            return null;
        }
        String name = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1).strip();
        return name.length() > 200 ? name.substring(name.length() - 200) : name;
    }
}
