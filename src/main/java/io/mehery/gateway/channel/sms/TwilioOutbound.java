package io.mehery.gateway.channel.sms;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.provider.OutboundDispatch;
import io.mehery.gateway.provider.ProviderLimits;
import io.mehery.gateway.provider.ProviderRequests;
import io.mehery.gateway.provider.TemplateTexts;

/**
 * message/send on a Twilio number: {@code POST {base-url}/2010-04-01/Accounts/{account-sid}/Messages.json}, a
 * form with To, From (or MessagingServiceSid), Body, MediaUrl for MMS, and the channel's public URL as the
 * StatusCallback, so that delivery receipts come back to the channel's webhook.
 */
@Component("twilioOutbound")
public class TwilioOutbound implements ProviderLimits {

    private final LiveConfiguration live;
    private final TemplateTexts templates;

    public TwilioOutbound(LiveConfiguration live, TemplateTexts templates) {
        this.live = live;
        this.templates = templates;
    }

    @Override
    public Set<ChannelType> channelTypes() {
        return Set.of(ChannelType.SMS);
    }

    @Override
    public void refuseWhatIsNotCarried(MessageSendRequest request) {
        ProviderLimits.refuseFilename(request, "Twilio");
    }

    public void toRequest(Exchange exchange) {
        OutboundDispatch dispatch = exchange.getProperty(RouteProperties.DISPATCH, OutboundDispatch.class);
        Channel channel = live.channels().get(dispatch.channelId());
        MessageSendRequest request = dispatch.message();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", request.to().phone());
        if (channel.messagingServiceSid() != null) {
            form.put("MessagingServiceSid", channel.messagingServiceSid());
        } else {
            form.put("From", channel.from() != null ? channel.from() : channel.lane());
        }
        switch (request.type()) {
            case TEXT -> form.put("Body", request.text().body());
            case TEMPLATE -> form.put("Body", templates.render(request.template()));
            case IMAGE, VIDEO, AUDIO, VOICE, DOCUMENT -> {
                if (request.media().caption() != null) {
                    form.put("Body", request.media().caption());
                }
                form.put("MediaUrl", request.media().link());
            }
            default -> throw new IllegalArgumentException("SMS does not carry " + request.type().json());
        }
        if (channel.publicUrl() != null) {
            form.put("StatusCallback", channel.publicUrl());
        }
        ProviderRequests.post(exchange.getMessage(), channel.baseUrl() + "/2010-04-01/Accounts/"
                + channel.accountSid() + "/Messages.json", "application/x-www-form-urlencoded",
                accountAuthorization(channel),
                form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&")));
    }

    /** The account's basic auth (account SID and auth token), for Twilio's API and its media URLs. */
    static String accountAuthorization(Channel channel) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (channel.accountSid() + ":" + channel.authToken()).getBytes(StandardCharsets.UTF_8));
    }
}
