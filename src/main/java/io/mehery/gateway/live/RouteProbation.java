package io.mehery.gateway.live;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;

/**
 * The probation of routes just replaced: for {@code mehery.config.probation} after a change, their exchanges are
 * counted, and once {@code probation-minimum-calls} of them have failed and the failures are at least
 * {@code probation-failure-rate} percent of what they handled, the change is rolled back at once (on a thread of
 * its own: never from inside the failing route). A failure is an exchange that ends with an exception, or whose
 * exception a route handled into an answer of 500 or more; a caller's mistake (4xx) is not one.
 */
@Component
public class RouteProbation implements RoutePolicyFactory, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(RouteProbation.class);

    private final Duration window;
    private final int failureRate;
    private final int minimumCalls;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "route-probation");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Watch watch;

    public RouteProbation(@Value("${mehery.config.probation:60s}") Duration window,
            @Value("${mehery.config.probation-failure-rate:50}") int failureRate,
            @Value("${mehery.config.probation-minimum-calls:5}") int minimumCalls) {
        this.window = window;
        this.failureRate = failureRate;
        this.minimumCalls = minimumCalls;
    }

    /** The routes of one change on probation, and what rolls it back. */
    private final class Watch {
        final Set<String> routes;
        final Consumer<String> rollBack;
        final AtomicLong handled = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicBoolean over = new AtomicBoolean();

        Watch(Set<String> routes, Consumer<String> rollBack) {
            this.routes = routes;
            this.rollBack = rollBack;
        }

        void done(String routeId, Exchange exchange) {
            if (!routes.contains(routeId)) {
                return;
            }
            long all = handled.incrementAndGet();
            if (!failed(exchange)) {
                return;
            }
            long failures = failed.incrementAndGet();
            if (failures >= minimumCalls && failures * 100 >= (long) failureRate * all && over.compareAndSet(false,
                    true)) {
                String reason = failures + " of " + all + " exchanges failed in route(s) " + routes + " (last: "
                        + String.valueOf(failure(exchange).getMessage()) + ")";
                end(this);
                timer.execute(() -> rollBack.accept(reason));
            }
        }
    }

    /** Watches these routes from now until the window ends; {@code rollBack} gets the reason if they fail. */
    public void watch(Set<String> routes, Consumer<String> rollBack) {
        Watch started = new Watch(Set.copyOf(routes), rollBack);
        watch = started;
        timer.schedule(() -> {
            if (started.over.compareAndSet(false, true)) {
                end(started);
                LOG.info("Probation of route(s) {} passed: {} exchanges, {} failed", started.routes,
                        started.handled.get(), started.failed.get());
            }
        }, window.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends the probation under way, if any (a newer change or a rollback replaces what it watched). */
    public void stop() {
        Watch current = watch;
        if (current != null) {
            current.over.set(true);
            end(current);
        }
    }

    private synchronized void end(Watch ended) {
        if (watch == ended) {
            watch = null;
        }
    }

    private static boolean failed(Exchange exchange) {
        Throwable failure = failure(exchange);
        if (failure == null) {
            return false;
        }
        if (failure instanceof ApiException api) {
            return api.status() >= 500;
        }
        if (exchange.isFailed()) {
            return true;
        }
        // handled: a failure only if it became the caller's 5xx (a webhook that did not answer is not the route's)
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status != null && status >= 500;
    }

    private static Throwable failure(Exchange exchange) {
        return exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new RoutePolicySupport() {
            @Override
            public void onExchangeDone(Route done, Exchange exchange) {
                Watch current = watch;
                if (current != null) {
                    current.done(routeId, exchange);
                }
            }
        };
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
