package io.mehery.gateway.channel.email;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties;

/** One mailbox poller per EMAIL channel that has an imap-url, from the poll-mailbox template in channel-email.yaml. */
@Component
public class MailboxRoutes implements CamelContextConfiguration {

    private final MeheryProperties properties;

    public MailboxRoutes(MeheryProperties properties) {
        this.properties = properties;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        properties.channels().forEach((channelId, channel) -> {
            if (channel.type() == ChannelType.EMAIL && channel.imapUrl() != null) {
                try {
                    TemplatedRouteBuilder.builder(camelContext, "poll-mailbox").routeId("poll-mailbox-" + channelId)
                            .parameter("channelId", channelId).parameter("imapUrl", channel.imapUrl()).add();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start polling the mailbox of channel " + channelId, e);
                }
            }
        });
    }
}
