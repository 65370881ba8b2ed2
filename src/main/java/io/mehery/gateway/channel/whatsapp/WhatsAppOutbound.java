package io.mehery.gateway.channel.whatsapp;

import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.api.model.ContactCard;
import io.mehery.gateway.api.model.Location;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.api.model.Template;
import io.mehery.gateway.channel.ProviderCalls;
import io.mehery.gateway.channel.ProviderRequests;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.conversation.OutboundDispatch;

/**
 * message/send on a WhatsApp channel as a Cloud API call: {@code POST {base-url}/{phone-number-id}/messages} with
 * the channel's access token, one body shape per Mehery type.
 */
@Component("whatsAppOutbound")
public class WhatsAppOutbound {

    private final MeheryProperties properties;
    private final ObjectMapper json;

    public WhatsAppOutbound(MeheryProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json;
    }

    /** Turns the exchange, whose body is the dispatch, into the provider request. */
    public void toRequest(Exchange exchange) {
        OutboundDispatch dispatch = exchange.getProperty(ProviderCalls.DISPATCH, OutboundDispatch.class);
        Channel channel = properties.channels().get(dispatch.channelId());
        ProviderRequests.post(exchange.getMessage(), channel.baseUrl() + "/" + channel.phoneNumberId() + "/messages",
                "application/json", "Bearer " + channel.accessToken(), body(dispatch.message(), channel).toString());
    }

    ObjectNode body(MessageSendRequest request, Channel channel) {
        ObjectNode body = json.createObjectNode();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", request.to().phone());
        String type = request.type().json();
        switch (request.type()) {
            case TEXT -> {
                body.put("type", "text");
                body.putObject("text").put("preview_url", false).put("body", request.text().body());
            }
            case IMAGE, VIDEO, DOCUMENT, AUDIO -> media(body, type, request.media(), !"audio".equals(type));
            case VOICE -> media(body, "audio", request.media(), false);
            case LOCATION -> location(body, request.location());
            case CONTACTS -> {
                body.put("type", "contacts");
                ArrayNode cards = body.putArray("contacts");
                for (ContactCard card : request.contacts()) {
                    cards.add(json.valueToTree(card));
                }
            }
            case TEMPLATE -> template(body, request.template(), channel);
            default -> throw new IllegalArgumentException("WhatsApp does not carry " + type);
        }
        return body;
    }

    private static void media(ObjectNode body, String type, Media media, boolean captioned) {
        body.put("type", type);
        ObjectNode part = body.putObject(type).put("link", media.link());
        if (captioned && media.caption() != null) {
            part.put("caption", media.caption());
        }
        if ("document".equals(type) && media.filename() != null) {
            part.put("filename", media.filename());
        }
    }

    private static void location(ObjectNode body, Location location) {
        body.put("type", "location");
        ObjectNode part = body.putObject("location");
        part.put("latitude", Double.parseDouble(location.latitude()));
        part.put("longitude", Double.parseDouble(location.longitude()));
        if (location.name() != null) {
            part.put("name", location.name());
        }
        if (location.address() != null) {
            part.put("address", location.address());
        }
    }

    /**
     * {@code template.id} is the approved template's name; {@code data} fills its body: keys "1", "2", ... by
     * position, any other keys as named parameters.
     */
    private static void template(ObjectNode body, Template template, Channel channel) {
        body.put("type", "template");
        ObjectNode part = body.putObject("template").put("name", template.id());
        part.putObject("language").put("code", channel.templateLanguage());
        Map<String, Object> data = template.data() == null ? Map.of() : template.data();
        if (data.isEmpty()) {
            return;
        }
        boolean positional = data.keySet().stream().allMatch(k -> k.matches("\\d+"));
        Map<String, Object> ordered = positional ? new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a),
                Integer.parseInt(b))) : new TreeMap<>();
        ordered.putAll(data);
        ArrayNode parameters = part.putArray("components").addObject().put("type", "body").putArray("parameters");
        ordered.forEach((key, value) -> {
            ObjectNode parameter = parameters.addObject().put("type", "text")
                    .put("text", value == null ? "" : String.valueOf(value));
            if (!positional) {
                parameter.put("parameter_name", key);
            }
        });
    }
}
