package io.mehery.gateway.channel.email;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.config.MeheryProperties.Channel;

/** One mailbox poller per EMAIL channel that has an imap-url, from the poll-mailbox template in channel-email.yaml. */
@Component
public class MailboxRoutes implements CamelContextConfiguration, LiveConfiguration.Listener {

    private static final String ROUTE = "poll-mailbox-";

    private final LiveConfiguration live;
    private volatile CamelContext camel;

    public MailboxRoutes(LiveConfiguration live) {
        this.live = live;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        live.channels().forEach(this::start);
    }

    /** A mailbox added, changed or removed on a running gateway is polled, polled anew, or no longer. */
    @Override
    public void changed(MeheryProperties previous, MeheryProperties next) {
        if (camel == null) {
            return;
        }
        previous.channels().forEach((channelId, channel) -> {
            if (polls(channel) && !channel.equals(next.channels().get(channelId))) {
                stop(channelId);
            }
        });
        next.channels().forEach((channelId, channel) -> {
            if (polls(channel) && !channel.equals(previous.channels().get(channelId))) {
                start(channelId, channel);
            }
        });
    }

    private static boolean polls(Channel channel) {
        return channel.type() == ChannelType.EMAIL && channel.imapUrl() != null;
    }

    private void start(String channelId, Channel channel) {
        if (!polls(channel)) {
            return;
        }
        try {
            TemplatedRouteBuilder.builder(camel, "poll-mailbox").routeId(ROUTE + channelId)
                    .parameter("channelId", channelId).parameter("imapUrl", channel.imapUrl()).add();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start polling the mailbox of channel " + channelId, e);
        }
    }

    private void stop(String channelId) {
        try {
            camel.getRouteController().stopRoute(ROUTE + channelId);
            camel.removeRoute(ROUTE + channelId);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop polling the mailbox of channel " + channelId, e);
        }
    }
}
