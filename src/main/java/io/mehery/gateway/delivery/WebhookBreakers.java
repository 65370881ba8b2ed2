package io.mehery.gateway.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.mehery.gateway.broker.ClusterBroadcasts;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.tap.TapData;
import io.mehery.gateway.tap.Taps;

/**
 * A circuit breaker per tenant webhook: once it fails often enough, deliveries to it are held for a while instead
 * of spending attempts on it, then one probe decides whether it is back. A breaker that opens on one instance
 * opens on every instance of the cluster (the breakers topic): each holds the tenant's callbacks for
 * {@code open-for}, then probes on its own. New settings (mehery.delivery.breaker, changed on a running gateway)
 * start every breaker anew, closed.
 */
@Component("webhookBreakers")
public class WebhookBreakers implements LiveConfiguration.Listener {

    /** The breakers of one setting; a changed setting starts new ones, closed. */
    private record Breakers(CircuitBreakerRegistry registry, Duration openFor) {

        static Breakers of(MeheryProperties.Breaker breaker) {
            return new Breakers(CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                    .failureRateThreshold(breaker.failureRateThreshold())
                    .minimumNumberOfCalls(breaker.minimumCalls())
                    .slidingWindowSize(breaker.window())
                    .waitDurationInOpenState(breaker.openFor())
                    .permittedNumberOfCallsInHalfOpenState(1)
                    .automaticTransitionFromOpenToHalfOpenEnabled(false)
                    .build()), breaker.openFor());
        }
    }

    /** A tenant's breaker is named after it: webhook-{tenantId}. */
    private static final String PREFIX = "webhook-";

    private volatile Breakers breakers;
    private final ClusterBroadcasts broadcasts;
    private final String topic;
    /** Set while this instance opens a breaker on another's word: that opening is not told again. */
    private final ThreadLocal<Boolean> openingOnWord = ThreadLocal.withInitial(() -> false);
    /**
     * The tenants whose webhook this instance found failing and said so (webhook.failing): it alone says when the
     * webhook answers again, so that the operator hears of each once, not once per instance.
     */
    private final Set<String> toldFailing = ConcurrentHashMap.newKeySet();
    /** When each open breaker opened here (epoch milliseconds), for the console's tenants page. */
    private final Map<String, Long> openedAt = new ConcurrentHashMap<>();
    private final OperationalEvents events;

    public WebhookBreakers(MeheryProperties properties, ClusterBroadcasts broadcasts,
            @Value("${mehery.cluster.breakers-topic}") String topic, OperationalEvents events) {
        this.broadcasts = broadcasts;
        this.events = events;
        this.topic = topic;
        this.breakers = breakersOf(properties.delivery().breaker());
    }

    @Override
    public void changed(MeheryProperties previous, MeheryProperties next) {
        if (!previous.delivery().breaker().equals(next.delivery().breaker())) {
            breakers = breakersOf(next.delivery().breaker());
            // every breaker starts anew, closed: the webhooks said failing are tried again
            for (String tenantId : List.copyOf(toldFailing)) {
                if (toldFailing.remove(tenantId)) {
                    events.publishNow(Taps.WEBHOOK_ENABLED, tenantId, TapData.of("reason",
                            "The breaker's settings changed: callbacks go to the webhook again"));
                }
            }
        }
    }

    /** Each breaker that opens here on its own findings says so to the other instances (the breakers topic). */
    private Breakers breakersOf(MeheryProperties.Breaker settings) {
        Breakers made = Breakers.of(settings);
        made.registry().getEventPublisher().onEntryAdded(added -> added.getAddedEntry().getEventPublisher()
                .onStateTransition(transition -> {
                    String tenantId = tenantOf(transition.getCircuitBreakerName());
                    CircuitBreaker.State to = transition.getStateTransition().getToState();
                    if (to == CircuitBreaker.State.OPEN) {
                        openedAt.putIfAbsent(tenantId, transition.getCreationTime().toInstant().toEpochMilli());
                    } else if (to == CircuitBreaker.State.CLOSED) {
                        openedAt.remove(tenantId);
                    }
                    if (to == CircuitBreaker.State.OPEN && !openingOnWord.get()) {
                        broadcasts.send(topic, tenantId);
                        if (toldFailing.add(tenantId)) {
                            events.publishNow(Taps.WEBHOOK_FAILING, tenantId, TapData.of("reason",
                                    "The webhook failed " + Math.round(added.getAddedEntry().getMetrics()
                                            .getFailureRate()) + " % of its last calls: callbacks are held for "
                                            + settings.openFor().toSeconds() + " s, then tried again"));
                        }
                    } else if (to == CircuitBreaker.State.CLOSED && toldFailing.remove(tenantId)) {
                        events.publishNow(Taps.WEBHOOK_ENABLED, tenantId, TapData.of("reason",
                                "The webhook answers again after failing"));
                    }
                }));
        return made;
    }

    /**
     * Another instance found the tenant's webhook failing and opened its breaker: this one holds the tenant's
     * callbacks too, for the same {@code open-for}, then probes on its own.
     */
    public void openedElsewhere(@Header(ClusterBroadcasts.ORIGIN) String origin, @Body String tenantId) {
        if (broadcasts.own(origin)) {
            return;
        }
        CircuitBreaker breaker = breaker(tenantId);
        if (breaker.getState() != CircuitBreaker.State.OPEN) {
            openingOnWord.set(true);
            try {
                breaker.transitionToOpenState();
            } finally {
                openingOnWord.set(false);
            }
        }
    }

    /** Whether an attempt to the tenant's webhook may go now; when it may, its outcome must be reported. */
    public boolean permits(String tenantId) {
        return breaker(tenantId).tryAcquirePermission();
    }

    /** How long to hold a delivery the breaker did not let through. */
    public Duration holdFor() {
        return breakers.openFor();
    }

    /** Gives back a permission that was not used for a call. */
    public void release(String tenantId) {
        breaker(tenantId).releasePermission();
    }

    public void succeeded(String tenantId, long latencyMs) {
        breaker(tenantId).onSuccess(latencyMs, TimeUnit.MILLISECONDS);
    }

    public void failed(String tenantId, long latencyMs, Throwable why) {
        breaker(tenantId).onError(latencyMs, TimeUnit.MILLISECONDS, why);
    }

    public CircuitBreaker.State state(String tenantId) {
        return breaker(tenantId).getState();
    }

    /**
     * The tenant's webhook as its breaker sees it on this instance, when it holds callbacks back (open, or letting
     * one probe through): since when, and the share of its last calls that failed.
     */
    public Optional<Failing> failing(String tenantId) {
        CircuitBreaker breaker = breakers.registry().find(PREFIX + tenantId).orElse(null);
        if (breaker == null || breaker.getState() == CircuitBreaker.State.CLOSED) {
            return Optional.empty();
        }
        return Optional.of(new Failing(openedAt.getOrDefault(tenantId, 0L), breaker.getMetrics().getFailureRate()));
    }

    /** A webhook held back by its breaker since {@code since}; {@code failureRate} in percent (-1: too few calls). */
    public record Failing(long since, float failureRate) {
    }

    private CircuitBreaker breaker(String tenantId) {
        return breakers.registry().circuitBreaker(PREFIX + tenantId);
    }

    private static String tenantOf(String breakerName) {
        return breakerName.substring(PREFIX.length());
    }
}
