package io.mehery.gateway.live;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.util.URISupport;
import org.springframework.stereotype.Component;

import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What runs now, as an operator looks at it ({@code GET /api/v1/admin/routes} and {@code /channels}): every Camel
 * route with its state and Camel's own statistics of it (the route policy of camel-micrometer: exchanges, failures,
 * in flight, mean and recent longest time), and every configured channel with its provider calls by outcome. Endpoint
 * URIs are shown with their secrets masked.
 */
@Component("runningRoutes")
public class RunningRoutes {

    private final CamelContext camel;
    private final MeterRegistry registry;
    private final LiveConfiguration live;

    public RunningRoutes(CamelContext camel, MeterRegistry registry, LiveConfiguration live) {
        this.camel = camel;
        this.registry = registry;
        this.live = live;
    }

    /** A route: where it takes work from, where it was defined, whether it runs, and how it has done. */
    public record RouteView(String id, String group, String state, String from, String source, long exchanges,
            long failed, long inflight, double meanMillis, double maxMillis) {
    }

    /** A channel: whose, which provider, and how its calls to the provider were answered, by outcome. */
    public record ChannelView(String id, String tenant, String type, String lane, Map<String, Long> providerCalls) {
    }

    public List<RouteView> routes() {
        return camel.getRoutes().stream().sorted(Comparator.comparing(Route::getRouteId)).map(this::view).toList();
    }

    public List<ChannelView> channels() {
        return live.channels().entrySet().stream().sorted(Map.Entry.comparingByKey()).map(entry -> {
            MeheryProperties.Channel channel = entry.getValue();
            Map<String, Long> calls = new TreeMap<>();
            registry.find("mehery.provider.calls").tag("channel", entry.getKey()).counters().forEach(counter ->
                    calls.merge(counter.getId().getTag("outcome"), (long) counter.count(), Long::sum));
            return new ChannelView(entry.getKey(), channel.tenant(), String.valueOf(channel.type()), channel.lane(),
                    calls);
        }).toList();
    }

    private RouteView view(Route route) {
        String id = route.getRouteId();
        ServiceStatus status = camel.getRouteController().getRouteStatus(id);
        Timer timer = registry.find("camel.route.policy").tag("routeId", id).timer();
        Counter failed = registry.find("camel.exchanges.failed").tag("routeId", id).counter();
        Gauge inflight = registry.find("camel.exchanges.inflight").tag("routeId", id).gauge();
        return new RouteView(id, route.getGroup(), status == null ? "Unknown" : status.name(),
                URISupport.sanitizeUri(route.getEndpoint().getEndpointUri()), route.getSourceLocationShort(),
                timer == null ? 0 : timer.count(), failed == null ? 0 : (long) failed.count(),
                inflight == null ? 0 : (long) inflight.value(),
                timer == null ? 0 : timer.mean(TimeUnit.MILLISECONDS),
                timer == null ? 0 : timer.max(TimeUnit.MILLISECONDS));
    }
}
