package io.mehery.gateway.channel.messenger;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.provider.OutboundDispatch;
import io.mehery.gateway.provider.ProviderLimits;
import io.mehery.gateway.provider.ProviderRequests;
import io.mehery.gateway.provider.TemplateTexts;
import java.util.Set;

/**
 * message/send on a Facebook Page or Instagram account as a Send API call, {@code POST {base-url}/me/messages}
 * with the page access token: text (templates rendered to text) or one attachment by URL, its caption following
 * as a text once the attachment is accepted.
 */
@Component("messengerOutbound")
public class MessengerOutbound implements ProviderLimits {

    private final LiveConfiguration live;
    private final TemplateTexts templates;
    private final ObjectMapper json;

    public MessengerOutbound(LiveConfiguration live, TemplateTexts templates, ObjectMapper json) {
        this.live = live;
        this.templates = templates;
        this.json = json;
    }

    @Override
    public Set<ChannelType> channelTypes() {
        return Set.of(ChannelType.FACEBOOK, ChannelType.INSTAGRAM);
    }

    @Override
    public void refuseWhatIsNotCarried(MessageSendRequest request) {
        ProviderLimits.refuseFilename(request, "The Messenger Platform");
    }

    public void toRequest(Exchange exchange) {
        OutboundDispatch dispatch = exchange.getProperty(RouteProperties.DISPATCH, OutboundDispatch.class);
        Channel channel = live.channels().get(dispatch.channelId());
        MessageSendRequest request = dispatch.message();
        ObjectNode body = json.createObjectNode();
        body.putObject("recipient").put("id", request.to().phone());
        body.put("messaging_type", "RESPONSE");
        ObjectNode message = body.putObject("message");
        switch (request.type()) {
            case TEXT -> message.put("text", request.text().body());
            case TEMPLATE -> message.put("text", templates.render(request.template()));
            case IMAGE -> attachment(message, "image", request.media().link());
            case AUDIO, VOICE -> attachment(message, "audio", request.media().link());
            case VIDEO -> attachment(message, "video", request.media().link());
            case DOCUMENT -> attachment(message, "file", request.media().link());
            default -> throw new IllegalArgumentException(dispatch.channelType() + " does not carry "
                    + request.type().json());
        }
        if (request.media() != null && request.media().caption() != null) {
            exchange.setProperty(RouteProperties.FOLLOWING_TEXT, request.media().caption());
        }
        ProviderRequests.post(exchange.getMessage(), channel.baseUrl() + "/me/messages", "application/json",
                "Bearer " + channel.accessToken(), body.toString());
    }

    private static void attachment(ObjectNode message, String type, String url) {
        ObjectNode attachment = message.putObject("attachment").put("type", type);
        attachment.putObject("payload").put("url", url).put("is_reusable", true);
    }
}
