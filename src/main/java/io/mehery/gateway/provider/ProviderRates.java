package io.mehery.gateway.provider;

import java.time.Clock;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.config.ProviderRate;
import io.mehery.gateway.store.ProviderRateStore;

/**
 * A channel's {@code max-rate}, held by every instance of the cluster together: its provider calls take turns, spaced
 * evenly and in order, from one clock in the shared database. A dispatch whose turn is later goes back to the queue
 * until then, holding that turn (no call taken after it goes before it), without a provider call and without
 * counting an attempt. The spacing leaves room for {@link #JITTER_MS} between a call's turn and its arrival at the
 * provider, so that no window of the rate's length (a second, a minute) sees more than its calls there: for 20/s one
 * call every 52.5 ms, 19 a second sustained. A dispatch that comes back later than {@link #HELD_TURN_MS} after its
 * turn (it waited behind an earlier message of its contact, or for a busy consumer) takes a new one: a turn used
 * late would crowd the calls after it.
 */
@Component("providerRates")
public class ProviderRates {

    /** How much later than its turn a call may reach the provider (the request made, the connection taken). */
    static final long JITTER_MS = 50;
    /**
     * How long after its turn a dispatch sent back to wait for it may still use it: half the margin, the other half
     * left for the call to reach the provider.
     */
    static final long HELD_TURN_MS = JITTER_MS / 2;

    private final LiveConfiguration live;
    private final ProviderRateStore turns;
    private final Clock clock;

    public ProviderRates(LiveConfiguration live, ProviderRateStore turns, Clock clock) {
        this.live = live;
        this.turns = turns;
        this.clock = clock;
    }

    /**
     * When the dispatch may come back to make its call (its exchange's dispatch then holds that turn); null: it
     * makes it now.
     */
    public Long comeBackAt(@ExchangeProperty(RouteProperties.DISPATCH) OutboundDispatch dispatch, Exchange exchange) {
        Channel channel = live.channels().get(dispatch.channelId());
        Optional<ProviderRate> rate = channel == null ? Optional.empty() : channel.providerRate();
        if (rate.isEmpty()) {
            return null;
        }
        long now = clock.millis() * 1000;
        Long held = dispatch.providerTurnAt();
        if (held != null && held <= now && now - held <= HELD_TURN_MS * 1000) {
            return null;
        }
        long turn = turns.takeTurn(dispatch.channelId(), now, spacingMicros(rate.get()));
        if (turn <= now) {
            return null;
        }
        exchange.setProperty(RouteProperties.DISPATCH, dispatch.holdingTurn(turn));
        return (turn + 999) / 1000;
    }

    /** In microseconds, so that 80/s is one call every 13.125 ms, not every 14. */
    static long spacingMicros(ProviderRate rate) {
        return (long) Math.ceil((rate.per().toMillis() + JITTER_MS) * 1000.0 / rate.calls());
    }
}
