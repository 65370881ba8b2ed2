package io.mehery.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.mehery.gateway.config.MeheryProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts failed authentications per source address and holds a source that fails too often: for the rest of its
 * window every request of that source that needs a key is answered 429, a right key included (otherwise the
 * answer would tell a guesser when it guessed right). Each source is logged when it first fails in a window and
 * when it is held; the key it tried never is.
 */
@Component
public class FailedAuthentications {

    private static final Logger LOG = LoggerFactory.getLogger(FailedAuthentications.class);
    /** Sources remembered at most; past it the windows that ended are forgotten first. */
    private static final int MAX_SOURCES = 50_000;

    private final int limit;
    private final long windowMillis;
    private final Clock clock;
    private final FixedWindowCounts bySource;
    private final Counter failures;
    private final Counter throttled;

    public FailedAuthentications(MeheryProperties properties, Clock clock, MeterRegistry meters) {
        this.limit = properties.http().authFailureLimit();
        this.windowMillis = properties.http().authFailureWindow().toMillis();
        this.clock = clock;
        this.bySource = new FixedWindowCounts(windowMillis, MAX_SOURCES, clock);
        this.failures = Counter.builder("mehery.http.auth.failures")
                .description("Requests refused for a missing or wrong x-api-key").register(meters);
        this.throttled = Counter.builder("mehery.http.auth.throttled")
                .description("Requests answered 429 because their source failed authentication too often")
                .register(meters);
    }

    /** How long the source is still held, if it is. */
    public Optional<Duration> heldFor(String source) {
        Optional<FixedWindowCounts.Window> window = bySource.current(source).filter(w -> w.count() >= limit);
        window.ifPresent(held -> throttled.increment());
        return window.map(held -> Duration.ofMillis(held.endsAt() - clock.millis()));
    }

    public void failed(String source) {
        failures.increment();
        FixedWindowCounts.Window window = bySource.add(source);
        if (window.count() == 1) {
            LOG.info("Failed authentication from {}", source);
        } else if (window.count() == limit) {
            LOG.warn("{} failed authentication {} times within {}: its keyed requests are answered 429 until {} ms"
                    + " from now", source, limit, Duration.ofMillis(windowMillis), window.endsAt() - clock.millis());
        }
    }
}
