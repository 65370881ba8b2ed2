package io.mehery.gateway.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.mehery.gateway.config.MeheryProperties;

/** When a failed callback is tried again: the configured schedule, stretched by jitter, never before Retry-After. */
public final class RetrySchedule {

    private static final Duration LONGEST_RETRY_AFTER = Duration.ofDays(1);

    private final List<Duration> waits;
    private final double jitter;

    public RetrySchedule(MeheryProperties.Delivery delivery) {
        this.waits = delivery.retrySchedule();
        this.jitter = delivery.jitter();
    }

    public int attempts() {
        return waits.size();
    }

    /**
     * The wait before attempt {@code attemptThisRound + 1} of a round, or empty when the round is used up.
     *
     * @param retryAfter what the webhook asked for on a 429 or 503, if anything
     */
    public Optional<Duration> waitBefore(int attemptThisRound, Duration retryAfter) {
        if (attemptThisRound >= waits.size()) {
            return Optional.empty();
        }
        Duration wait = waits.get(attemptThisRound);
        long millis = wait.toMillis();
        if (millis > 0 && jitter > 0) {
            millis += (long) (millis * jitter * ThreadLocalRandom.current().nextDouble());
        }
        Duration jittered = Duration.ofMillis(millis);
        return Optional.of(retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered);
    }

    /** A Retry-After header: delay seconds or an HTTP date, at most a day; null for anything else. */
    public static Duration parseRetryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        Duration asked;
        try {
            long seconds = Long.parseLong(value);
            if (seconds < 0) {
                return null;
            }
            asked = Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now,
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                asked = until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
        return asked.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : asked;
    }
}
