package io.mehery.gateway.channel.email;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.LiveRoutes;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.config.MeheryProperties;

/**
 * One mailbox poller per EMAIL channel that has an imap-url, from the poll-mailbox template in channel-email.yaml; a
 * mailbox added, changed or removed on a running gateway is polled, polled anew, or no longer.
 */
@Component
public class MailboxRoutes extends LiveRoutes<Channel> {

    public MailboxRoutes(LiveConfiguration live) {
        super(live, "poll-mailbox");
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
    protected Map<String, Object> parametersOf(String channelId, Channel channel) {
        return Map.of("channelId", channelId, "imapUrl", channel.imapUrl());
    }
}
