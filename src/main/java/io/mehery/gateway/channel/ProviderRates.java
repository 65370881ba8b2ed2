package io.mehery.gateway.channel;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Body;
import org.springframework.stereotype.Component;

import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.config.ProviderRate;
import io.mehery.gateway.conversation.OutboundDispatch;
import io.mehery.gateway.store.ProviderRateStore;

/**
 * A channel's {@code max-rate}, held by every instance of the cluster together: its provider calls take turns, spaced
 * evenly, from one clock in the shared database, and a dispatch whose turn has not come goes back to the queue until
 * about when it comes, without a provider call and without counting an attempt. The spacing leaves room for
 * {@link #JITTER_MS} between a call's turn and its arrival at the provider, so that no window of the rate's length
 * (a second, a minute) sees more than its calls there: for 20/s one call every 52.5 ms, 19 a second sustained.
 */
@Component("providerRates")
public class ProviderRates {

    /** How much later than its turn a call may reach the provider (the request made, the connection taken). */
    static final long JITTER_MS = 50;

    private final LiveConfiguration live;
    private final ProviderRateStore turns;
    private final Clock clock;
    /** Per channel, the last time promised to a dispatch sent back: the next one sent back comes a turn later. */
    private final Map<String, AtomicLong> promised = new ConcurrentHashMap<>();

    public ProviderRates(LiveConfiguration live, ProviderRateStore turns, Clock clock) {
        this.live = live;
        this.turns = turns;
        this.clock = clock;
    }

    /** When the dispatch may come back to make its call; null: it makes it now. */
    public Long comeBackAt(@Body OutboundDispatch dispatch) {
        Channel channel = live.channels().get(dispatch.channelId());
        Optional<ProviderRate> rate = channel == null ? Optional.empty() : channel.providerRate();
        if (rate.isEmpty()) {
            return null;
        }
        long spacing = spacingMicros(rate.get());
        long now = clock.millis() * 1000;
        OptionalLong nextTurn = turns.takeTurn(dispatch.channelId(), now, spacing);
        if (nextTurn.isEmpty()) {
            return null;
        }
        // those sent back meanwhile come back one turn apart, not all at the next one
        long comeBack = promised.computeIfAbsent(dispatch.channelId(), id -> new AtomicLong())
                .accumulateAndGet(nextTurn.getAsLong(), (last, next) -> Math.max(next, last + spacing));
        return (comeBack + 999) / 1000;
    }

    /** In microseconds, so that 80/s is one call every 13.125 ms, not every 14. */
    static long spacingMicros(ProviderRate rate) {
        return (long) Math.ceil((rate.per().toMillis() + JITTER_MS) * 1000.0 / rate.calls());
    }
}
