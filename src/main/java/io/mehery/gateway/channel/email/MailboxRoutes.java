package io.mehery.gateway.channel.email;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.springframework.stereotype.Component;

import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.LiveRoutes;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.config.MeheryProperties.Channel;

/**
 * One mailbox poller per EMAIL channel that has an imap-url, from the poll-mailbox template in channel-email.yaml; a
 * mailbox added, changed or removed on a running gateway is polled, polled anew, or no longer.
 */
@Component
public class MailboxRoutes extends LiveRoutes<Channel> {

    public MailboxRoutes(LiveConfiguration live) {
        super(live);
    }

    @Override
    protected Map<String, Channel> runningIn(MeheryProperties properties) {
        Map<String, Channel> mailboxes = new LinkedHashMap<>();
        properties.channels().forEach((id, channel) -> {
            if (channel.type() == ChannelType.EMAIL && channel.imapUrl() != null) {
                mailboxes.put(id, channel);
            }
        });
        return mailboxes;
    }

    @Override
    protected String routeIdOf(String channelId) {
        return "poll-mailbox-" + channelId;
    }

    @Override
    protected void start(CamelContext camel, String channelId, Channel channel) throws Exception {
        TemplatedRouteBuilder.builder(camel, "poll-mailbox").routeId(routeIdOf(channelId))
                .parameter("channelId", channelId).parameter("imapUrl", channel.imapUrl()).add();
    }
}
