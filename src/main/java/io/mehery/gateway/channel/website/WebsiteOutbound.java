package io.mehery.gateway.channel.website;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.Refusal;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.api.model.MessageType;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.provider.OutboundDispatch;
import io.mehery.gateway.provider.ProviderLimits;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MessageStatus;
import io.mehery.gateway.store.MessageStore;

/**
 * message/send to a website visitor. There is no provider in between: the message is kept for the visitor (sent,
 * known to receipts by its own id) and pushed at once to the widgets the visitor has open on this instance; a
 * visitor not connected reads it at the next visit. The widget reports delivered and read.
 */
@Component("websiteOutbound")
public class WebsiteOutbound implements ProviderLimits {

    private static final Logger LOG = LoggerFactory.getLogger(WebsiteOutbound.class);
    static final int MAX_BUTTONS = 10;

    private final MessageStore messages;
    private final GroupCommit commits;
    private final WebsiteConversations conversations;
    private final WebchatSockets sockets;
    private final Clock clock;
    private final LiveConfiguration live;

    public WebsiteOutbound(MessageStore messages, GroupCommit commits, WebsiteConversations conversations,
            WebchatSockets sockets, Clock clock, LiveConfiguration live) {
        this.live = live;
        this.messages = messages;
        this.commits = commits;
        this.conversations = conversations;
        this.sockets = sockets;
        this.clock = clock;
    }

    @Override
    public Set<ChannelType> channelTypes() {
        return Set.of(ChannelType.WEBSITE);
    }

    /**
     * An anonymous visitor ({@code anon:...}) must be one this channel issued: an address nobody visits with would
     * keep the message for nobody and make a contact of it. A site's user id is the site's to vouch for. A template's
     * buttons are {@code data.buttons}: up to ten, each with a text and an actionCode.
     */
    @Override
    public void refuseWhatIsNotCarried(MessageSendRequest request) {
        String address = request.to() == null || request.to().phone() == null ? "" : request.to().phone().trim();
        Channel channel = live.channels().get(request.channelId());
        if (channel != null && address.startsWith(VisitorTokens.ANONYMOUS)
                && !VisitorTokens.issuedAnonymous(channel, address)) {
            throw new Refusal("UNKNOWN_VISITOR", "to.phone", "This website channel issued no visitor '" + address
                    + "': to.phone is the visitorId a visit answered (the demo page shows it)");
        }
        if (request.type() != MessageType.TEMPLATE || request.template().data() == null
                || !request.template().data().containsKey("buttons")) {
            return;
        }
        Object buttons = request.template().data().get("buttons");
        boolean valid = buttons instanceof List<?> list && !list.isEmpty() && list.size() <= MAX_BUTTONS
                && list.stream().allMatch(b -> b instanceof Map<?, ?> button
                        && button.get("text") instanceof String text && !text.isBlank() && text.length() <= 100
                        && button.get("actionCode") instanceof String code && !code.isBlank()
                        && code.length() <= 200);
        ProviderLimits.refuseIf(!valid, "template.data.buttons", "On a website channel, template.data.buttons lists 1"
                + " to " + MAX_BUTTONS + " buttons, each {\"text\": <up to 100 characters>, \"actionCode\": <up to"
                + " 200>}");
    }

    public void send(@Body OutboundDispatch dispatch) {
        if (messages.find(dispatch.messageId()).isEmpty()) {
            LOG.warn("Outbound message {} is no longer stored; nothing to send", dispatch.messageId());
            return;
        }
        commits.run(() -> messages.advance(dispatch.messageId(), MessageStatus.SENT, dispatch.messageId(),
                clock.millis()));
        messages.findSequenced(dispatch.messageId()).ifPresent(stored -> sockets.push(dispatch.channelId(),
                dispatch.message().to().phone().trim(), Map.of("type", "message", "message",
                        conversations.viewOf(stored, dispatch.message()))));
    }
}
