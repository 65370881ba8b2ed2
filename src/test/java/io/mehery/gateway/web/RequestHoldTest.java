package io.mehery.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/**
 * A route replacement begins only once the requests already past the edge have been answered, and the requests
 * that arrive meanwhile wait until it is done.
 */
class RequestHoldTest {

    private final RequestHold hold = new RequestHold(Duration.ofSeconds(30));

    @Test
    void aReplacementWaitsForTheRequestsAlreadyInside() {
        hold.enter();
        hold.close();
        CompletableFuture<Void> replacement = CompletableFuture.runAsync(hold::awaitRequestsInside);

        await().during(Duration.ofMillis(200)).until(() -> !replacement.isDone());
        hold.leave();
        await().atMost(Duration.ofSeconds(5)).until(replacement::isDone);
        hold.open();
    }

    @Test
    void aRequestArrivingDuringTheReplacementWaitsForItAndIsNotCountedMeanwhile() {
        hold.close();
        CompletableFuture<Void> request = CompletableFuture.runAsync(hold::enter);

        await().during(Duration.ofMillis(200)).until(() -> !request.isDone());
        CompletableFuture<Void> replacement = CompletableFuture.runAsync(hold::awaitRequestsInside);
        await().atMost(Duration.ofSeconds(5)).until(replacement::isDone);
        hold.open();
        await().atMost(Duration.ofSeconds(5)).until(request::isDone);
        hold.leave();
    }

    @Test
    void anOpenHoldLetsRequestsThroughAtOnce() {
        CompletableFuture<Void> request = CompletableFuture.runAsync(hold::enter);
        await().atMost(Duration.ofSeconds(5)).until(request::isDone);
        hold.leave();
        hold.close();
        CompletableFuture<Void> replacement = CompletableFuture.runAsync(hold::awaitRequestsInside);
        await().atMost(Duration.ofSeconds(5)).until(replacement::isDone);
        assertThat(replacement).isCompleted();
    }
}
