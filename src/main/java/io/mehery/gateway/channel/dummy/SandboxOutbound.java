package io.mehery.gateway.channel.dummy;

import java.time.Clock;

import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.mehery.gateway.provider.OutboundDispatch;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MessageStatus;
import io.mehery.gateway.store.MessageStore;

/**
 * The sandbox channel's outbound side: there is no provider behind it, so it plays one that takes every message
 * at once, marking it sent and then delivered, each with its own stamp.
 */
@Component("sandboxOutbound")
public class SandboxOutbound {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxOutbound.class);

    private final MessageStore messages;
    private final GroupCommit commits;
    private final Clock clock;

    public SandboxOutbound(MessageStore messages, GroupCommit commits, Clock clock) {
        this.messages = messages;
        this.commits = commits;
        this.clock = clock;
    }

    public void send(@Body OutboundDispatch dispatch) {
        if (messages.find(dispatch.messageId()).isEmpty()) {
            LOG.warn("Outbound message {} is no longer stored; nothing to send", dispatch.messageId());
            return;
        }
        commits.run(() -> {
            messages.advance(dispatch.messageId(), MessageStatus.SENT, "sandbox-" + dispatch.messageId(),
                    clock.millis());
            messages.advance(dispatch.messageId(), MessageStatus.DELIVERED, null, clock.millis());
        });
    }
}
