package io.mehery.gateway.channel.website;

import java.time.Clock;
import java.util.List;

import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.channel.website.VisitorTokens.Visitor;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.security.FixedWindowCounts;

/**
 * How much a widget may send, counted per minute: messages per visitor ({@code mehery.webchat.messages-per-minute}),
 * and, since an anonymous visitor costs nothing to make, new visitors and messages per source address too
 * ({@code visitors-per-minute-per-address}, {@code messages-per-minute-per-address}). Beyond: 429 with the seconds
 * to wait.
 */
@Component
public class WebchatLimits {

    private static final long MINUTE = 60_000;
    private static final int MAX_KEYS_COUNTED = 100_000;

    private final Clock clock;
    private final int messagesPerVisitor;
    private final int visitorsPerAddress;
    private final int messagesPerAddress;
    private final FixedWindowCounts byVisitor;
    private final FixedWindowCounts visitorsByAddress;
    private final FixedWindowCounts messagesByAddress;

    public WebchatLimits(MeheryProperties properties, Clock clock) {
        this.clock = clock;
        this.messagesPerVisitor = properties.webchat().messagesPerMinute();
        this.visitorsPerAddress = properties.webchat().visitorsPerMinutePerAddress();
        this.messagesPerAddress = properties.webchat().messagesPerMinutePerAddress();
        this.byVisitor = new FixedWindowCounts(MINUTE, MAX_KEYS_COUNTED, clock);
        this.visitorsByAddress = new FixedWindowCounts(MINUTE, MAX_KEYS_COUNTED, clock);
        this.messagesByAddress = new FixedWindowCounts(MINUTE, MAX_KEYS_COUNTED, clock);
    }

    /** A new anonymous visitor from this address. */
    void admitVisitor(String channelId, String source) {
        require(visitorsByAddress.add(channelId + "\n" + source), visitorsPerAddress, "TOO_MANY_VISITORS",
                "An address starts at most " + visitorsPerAddress + " new visits a minute");
    }

    /** A message or file of the visitor, from this address. */
    void admitMessage(Visitor visitor, String source) {
        require(byVisitor.add(visitor.channelId() + "\n" + visitor.address()), messagesPerVisitor,
                "TOO_MANY_MESSAGES", "A visitor sends at most " + messagesPerVisitor + " messages a minute");
        require(messagesByAddress.add(visitor.channelId() + "\n" + source), messagesPerAddress, "TOO_MANY_MESSAGES",
                "An address sends at most " + messagesPerAddress + " messages a minute");
    }

    private void require(FixedWindowCounts.Window window, int limit, String code, String rule) {
        if (window.count() > limit) {
            long seconds = Math.max(1, (window.endsAt() - clock.millis() + 999) / 1000);
            throw new ApiException(429, List.of(Problem.of(code, null, rule + "; retry in " + seconds + " s")));
        }
    }
}
