package io.mehery.gateway.channel.whatsapp;

import java.util.Set;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.ContactCard;
import io.mehery.gateway.api.model.Location;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.api.model.MessageType;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.provider.OutboundDispatch;
import io.mehery.gateway.provider.ProviderLimits;
import io.mehery.gateway.provider.ProviderRequests;

/**
 * message/send on a WhatsApp channel as a Cloud API call: {@code POST {base-url}/{phone-number-id}/messages} with
 * the channel's access token, one body shape per Mehery type.
 */
@Component("whatsAppOutbound")
public class WhatsAppOutbound implements ProviderLimits {

    private final LiveConfiguration live;
    private final ObjectMapper json;

    public WhatsAppOutbound(LiveConfiguration live, ObjectMapper json) {
        this.live = live;
        this.json = json;
    }

    @Override
    public Set<ChannelType> channelTypes() {
        return Set.of(ChannelType.WHATSAPP);
    }

    /** Audio has no caption on WhatsApp, only documents have a filename, and templates take Meta's shape. */
    @Override
    public void refuseWhatIsNotCarried(MessageSendRequest request) {
        if (request.template() != null && request.type() == MessageType.TEMPLATE) {
            WhatsAppTemplates.check(request.template(), json);
        }
        Media media = request.media();
        if (media == null) {
            return;
        }
        String type = request.type().json();
        ProviderLimits.refuseIf(media.caption() != null && ("audio".equals(type) || "voice".equals(type)),
                type + ".caption", "WhatsApp audio has no caption; send the text as its own message");
        if (!"document".equals(type)) {
            ProviderLimits.refuseFilename(request, "WhatsApp");
        }
    }

    /** Turns the exchange, whose body is the dispatch, into the provider request. */
    public void toRequest(Exchange exchange) {
        OutboundDispatch dispatch = exchange.getProperty(RouteProperties.DISPATCH, OutboundDispatch.class);
        Channel channel = live.channels().get(dispatch.channelId());
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
            case TEMPLATE -> {
                body.put("type", "template");
                body.set("template", WhatsAppTemplates.build(request.template(), channel.templateLanguage(), json));
            }
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
}
