package io.mehery.gateway.channel.telegram;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.api.model.ContactCard;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.channel.ProviderCalls;
import io.mehery.gateway.channel.ProviderRequests;
import io.mehery.gateway.channel.TemplateTexts;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.conversation.OutboundDispatch;

/**
 * message/send on a Telegram channel as a Bot API call, {@code POST {base-url}/bot{bot-token}/<method>}: text,
 * media by link with caption, location, the first contact card, and templates rendered to text.
 */
@Component("telegramOutbound")
public class TelegramOutbound {

    private final MeheryProperties properties;
    private final TemplateTexts templates;
    private final ObjectMapper json;

    public TelegramOutbound(MeheryProperties properties, TemplateTexts templates, ObjectMapper json) {
        this.properties = properties;
        this.templates = templates;
        this.json = json;
    }

    public void toRequest(Exchange exchange) {
        OutboundDispatch dispatch = exchange.getProperty(ProviderCalls.DISPATCH, OutboundDispatch.class);
        Channel channel = properties.channels().get(dispatch.channelId());
        MessageSendRequest request = dispatch.message();
        ObjectNode body = json.createObjectNode().put("chat_id", request.to().phone());
        String method = switch (request.type()) {
            case TEXT -> text(body, request.text().body());
            case TEMPLATE -> text(body, templates.render(request.template()));
            case IMAGE -> media(body, "photo", request.media());
            case AUDIO -> media(body, "audio", request.media());
            case VOICE -> media(body, "voice", request.media());
            case VIDEO -> media(body, "video", request.media());
            case DOCUMENT -> media(body, "document", request.media());
            case LOCATION -> {
                body.put("latitude", Double.parseDouble(request.location().latitude()));
                body.put("longitude", Double.parseDouble(request.location().longitude()));
                yield "sendLocation";
            }
            case CONTACTS -> contact(body, request.contacts().get(0));
            default -> throw new IllegalArgumentException("Telegram does not carry " + request.type().json());
        };
        ProviderRequests.post(exchange.getMessage(), channel.baseUrl() + "/bot" + channel.botToken() + "/" + method,
                "application/json", null, body.toString());
    }

    private static String text(ObjectNode body, String text) {
        body.put("text", text);
        return "sendMessage";
    }

    private static String media(ObjectNode body, String field, Media media) {
        body.put(field, media.link());
        if (media.caption() != null) {
            body.put("caption", media.caption());
        }
        return "send" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
    }

    private static String contact(ObjectNode body, ContactCard card) {
        body.put("phone_number", card.phones() == null || card.phones().isEmpty() ? "" : card.phones().get(0).phone());
        String first = card.name() == null ? null : card.name().firstName() != null ? card.name().firstName()
                : card.name().formattedName();
        body.put("first_name", first == null ? "" : first);
        if (card.name() != null && card.name().lastName() != null) {
            body.put("last_name", card.name().lastName());
        }
        return "sendContact";
    }
}
