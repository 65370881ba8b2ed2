package io.mehery.gateway.web;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Holds new requests at the edge while routes are being replaced, so that a request that arrives between an old
 * route's stop and its successor's start waits a moment and is served by the successor, instead of finding no
 * route (404) or a stopping one (500). The requests already past the edge are let finish first: a request spends a
 * while between the edge and the route that serves it (validated by the contract's route, passed on by
 * {@code direct:}), and one that reached its route only after that route had stopped would fail. A request is
 * held, and the replacement waits for those inside, at most {@code mehery.config.route-drain-timeout}.
 */
@Component
public class RequestHold {

    private final long maxWaitNanos;
    private final AtomicInteger inside = new AtomicInteger();
    private volatile CountDownLatch closed;

    public RequestHold(@Value("${mehery.config.route-drain-timeout:30s}") Duration maxWait) {
        this.maxWaitNanos = maxWait.toNanos();
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

    /** After {@link #close()}: returns once the requests that passed the edge before it have been answered. */
    public void awaitRequestsInside() {
        long deadline = System.nanoTime() + maxWaitNanos;
        while (inside.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Returns at once unless held, then when opened (or after the longest wait); from then the request counts as
     * inside until {@link #leave()}.
     */
    void enter() {
        long deadline = System.nanoTime() + maxWaitNanos;
        while (true) {
            CountDownLatch latch = closed;
            if (latch != null) {
                try {
                    latch.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException stopping) {
                    Thread.currentThread().interrupt();
                }
            }
            inside.incrementAndGet();
            if (closed == null || System.nanoTime() >= deadline || Thread.currentThread().isInterrupted()) {
                return;
            }
            // closed in the meantime: whoever closed it may be waiting for those inside, so wait outside again
            inside.decrementAndGet();
        }
    }

    /** The request that {@link #enter() entered} has been answered. */
    void leave() {
        inside.decrementAndGet();
    }
}
