package io.mehery.gateway.web;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Holds new requests at the edge while routes are being replaced, so that a request that arrives between an old
 * route's stop and its successor's start waits a moment and is served by the successor, instead of finding no
 * route (404) or a stopping one (503). Requests already inside a route are not held: the route being replaced
 * drains them. A request is held at most {@code mehery.config.route-drain-timeout}.
 */
@Component
public class RequestHold {

    private final long maxWaitMillis;
    private volatile CountDownLatch closed;

    public RequestHold(@Value("${mehery.config.route-drain-timeout:30s}") Duration maxWait) {
        this.maxWaitMillis = maxWait.toMillis();
    }

    /** From now, new requests wait for {@link #open()}. */
    public synchronized void close() {
        if (closed == null) {
            closed = new CountDownLatch(1);
        }
    }

    public synchronized void open() {
        if (closed != null) {
            closed.countDown();
            closed = null;
        }
    }

    /** Returns at once unless held; then when opened, or after the longest wait. */
    void awaitOpen() {
        CountDownLatch latch = closed;
        if (latch != null) {
            try {
                latch.await(maxWaitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
