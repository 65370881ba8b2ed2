package io.mehery.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mehery.gateway.config.MeheryProperties;

class RetryScheduleTest {

    private static final MeheryProperties.Breaker BREAKER =
            new MeheryProperties.Breaker(50, 5, 20, Duration.ofSeconds(30));
    private static final MeheryProperties.Recovery RECOVERY = new MeheryProperties.Recovery(100,
            Duration.ofMillis(200));

    @Test
    void waitsAsConfiguredStretchedByAtMostTheJitterThenGivesUp() {
        var schedule = new RetrySchedule(new MeheryProperties.Delivery(
                List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5)), Duration.ofSeconds(15), 0.1, 4,
                BREAKER, Duration.ofMinutes(2), 4, Duration.ofSeconds(15), RECOVERY));

        assertThat(schedule.waitBefore(0, null)).contains(Duration.ZERO);
        for (int i = 0; i < 50; i++) {
            assertThat(schedule.waitBefore(1, null).orElseThrow())
                    .isBetween(Duration.ofSeconds(5), Duration.ofMillis(5_500));
        }
        assertThat(schedule.waitBefore(3, null)).isEmpty();
    }

    @Test
    void aLongerRetryAfterWinsAShorterOneDoesNot() {
        var schedule = new RetrySchedule(new MeheryProperties.Delivery(
                List.of(Duration.ZERO, Duration.ofSeconds(5)), Duration.ofSeconds(15), 0, 4, BREAKER,
                Duration.ofMinutes(2), 4, Duration.ofSeconds(15), RECOVERY));

        assertThat(schedule.waitBefore(1, Duration.ofSeconds(60))).contains(Duration.ofSeconds(60));
        assertThat(schedule.waitBefore(1, Duration.ofSeconds(1))).contains(Duration.ofSeconds(5));
    }

    @Test
    void readsRetryAfterAsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");

        assertThat(RetrySchedule.parseRetryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetrySchedule.parseRetryAfter("Tue, 24 Nov 2026 10:01:30 GMT", now))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(RetrySchedule.parseRetryAfter("soon", now)).isNull();
        assertThat(RetrySchedule.parseRetryAfter("-5", now)).isNull();
        assertThat(RetrySchedule.parseRetryAfter("99999999", now)).isEqualTo(Duration.ofDays(1));
        assertThat(RetrySchedule.parseRetryAfter("Wed, 24 Nov 2027 10:00:00 GMT", now)).isEqualTo(Duration.ofDays(1));
    }
}
