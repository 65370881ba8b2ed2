package io.mehery.gateway.channel.twitter;

import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.media.LinkedFiles;
import io.mehery.gateway.provider.OutboundDispatch;
import io.mehery.gateway.provider.ProviderCalls;
import io.mehery.gateway.provider.ProviderLimits;
import io.mehery.gateway.provider.ProviderRequests;
import io.mehery.gateway.provider.TemplateTexts;

/**
 * message/send on an X channel: a direct message through the X API v2,
 * {@code POST {base-url}/2/dm_conversations/with/{participant_id}/messages}, signed with the account's OAuth 1.0a
 * user context. An image is fetched from its link and uploaded first ({@code POST {base-url}/2/media/upload},
 * category {@code dm_image}, or {@code dm_gif}), then attached by its media id with the caption as the text.
 */
@Component("twitterOutbound")
public class TwitterOutbound implements ProviderLimits {

    private static final Pattern USER_ID = Pattern.compile("[0-9]{1,20}");
    private static final String UPLOAD = "provider://twitter-media?throwExceptionOnFailure=false";

    private final LiveConfiguration live;
    private final TemplateTexts templates;
    private final LinkedFiles linkedFiles;
    private final ProducerTemplate camel;
    private final ObjectMapper json;

    public TwitterOutbound(LiveConfiguration live, TemplateTexts templates, LinkedFiles linkedFiles,
            ProducerTemplate camel, ObjectMapper json) {
        this.live = live;
        this.templates = templates;
        this.linkedFiles = linkedFiles;
        this.camel = camel;
        this.json = json;
    }

    @Override
    public Set<ChannelType> channelTypes() {
        return Set.of(ChannelType.TWITTER);
    }

    /** The recipient is an X user id; a file is named by X, not by the sender. */
    @Override
    public void refuseWhatIsNotCarried(MessageSendRequest request) {
        ProviderLimits.refuseIf(!USER_ID.matcher(request.to().phone().trim()).matches(), "to.phone",
                "On an X channel, to.phone is the user's numeric X user id (the from of their messages)");
        ProviderLimits.refuseFilename(request, "X");
    }

    public void toRequest(Exchange exchange) {
        OutboundDispatch dispatch = exchange.getProperty(RouteProperties.DISPATCH, OutboundDispatch.class);
        Channel channel = live.channels().get(dispatch.channelId());
        MessageSendRequest request = dispatch.message();
        ObjectNode body = json.createObjectNode();
        switch (request.type()) {
            case TEXT -> body.put("text", request.text().body());
            case TEMPLATE -> body.put("text", templates.render(request.template()));
            case IMAGE -> {
                Media image = request.media();
                if (image.caption() != null) {
                    body.put("text", image.caption());
                }
                body.putArray("attachments").addObject().put("media_id", upload(channel, image));
            }
            default -> throw new IllegalArgumentException("X direct messages do not carry " + request.type().json());
        }
        String url = channel.baseUrl() + "/2/dm_conversations/with/" + request.to().phone().trim() + "/messages";
        ProviderRequests.post(exchange.getMessage(), url, "application/json", oauthOf(channel)
                .authorization("POST", url), body.toString());
    }

    /** The image, uploaded to X for direct messages: its media id. */
    private String upload(Channel channel, Media image) {
        LinkedFiles.LinkedFile file = linkedFiles.fetch(image);
        String mime = file.file().contentType().split(";")[0].trim();
        ObjectNode upload = json.createObjectNode()
                .put("media", Base64.getEncoder().encodeToString(file.file().bytes()))
                .put("media_category", "image/gif".equals(mime) ? "dm_gif" : "dm_image")
                .put("media_type", mime);
        String url = channel.baseUrl() + "/2/media/upload";
        ProviderRequests.Answer answer = ProviderRequests.post(camel, UPLOAD, url, "application/json",
                oauthOf(channel).authorization("POST", url), upload.toString());
        if (answer.mayPass()) {
            throw new ProviderCalls.ProviderUnavailableException("X's media upload answered " + answer.said()
                    + "; uploading again later");
        }
        try {
            String text = answer.body();
            String mediaId = answer.accepted() ? json.readTree(text == null ? "{}" : text).at("/data/id").asText("")
                    : "";
            if (mediaId.isEmpty()) {
                throw new IllegalStateException("X refused the image upload (" + answer.status() + "): " + text);
            }
            return mediaId;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("X's media upload answer is not JSON", e);
        }
    }

    /** The account's OAuth 1.0a user context. */
    static OAuth1 oauthOf(Channel channel) {
        return new OAuth1(channel.consumerKey(), channel.consumerSecret(), channel.accessToken(),
                channel.accessTokenSecret());
    }
}
