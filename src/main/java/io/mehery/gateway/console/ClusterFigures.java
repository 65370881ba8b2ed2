package io.mehery.gateway.console;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import org.springframework.stereotype.Component;

import io.mehery.gateway.config.ClusterInstance;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.conversation.Conversations;
import io.mehery.gateway.delivery.DeliveryMetrics;
import io.mehery.gateway.live.ConfigurationChanges;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.InstanceFigures;
import io.mehery.gateway.store.InstanceFiguresStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The figures of the console's overview. Every {@code mehery.console.sample-every} each instance turns what its own
 * meters counted since the last sample into one row of the store (route {@code sample-console-figures}); the overview
 * reads every instance's rows of the last minutes, so any instance draws the whole cluster, each instance alone and
 * all of them together. Nothing is computed for a viewer that the sampling did not already count.
 */
@Component("clusterFigures")
public class ClusterFigures {

    /** How far back the overview's charts go. */
    static final long SHOWN_MILLIS = 15 * 60_000L;
    /** How long samples are kept: the dead letters of the last hour are counted from them. */
    static final long KEPT_MILLIS = 60 * 60_000L;

    private final MeterRegistry registry;
    private final DeliveryMetrics deliveries;
    private final InstanceFiguresStore store;
    private final GroupCommit commits;
    private final ClusterInstance instance;
    private final ConfigurationChanges configurations;
    private final LiveConfiguration live;
    private final Clock clock;
    private Totals previous;
    private long previousAt;

    public ClusterFigures(MeterRegistry registry, DeliveryMetrics deliveries, InstanceFiguresStore store,
            GroupCommit commits, ClusterInstance instance, ConfigurationChanges configurations, LiveConfiguration live,
            Clock clock) {
        this.registry = registry;
        this.deliveries = deliveries;
        this.store = store;
        this.commits = commits;
        this.instance = instance;
        this.configurations = configurations;
        this.live = live;
        this.clock = clock;
        this.previousAt = clock.millis();
        this.previous = Totals.ZERO;
    }

    /** What the meters counted since the last sample, stored as this instance's row; older rows are forgotten. */
    public synchronized void sample() {
        long now = clock.millis();
        Totals totals = totals();
        Map<String, InstanceFigures.Tenant> tenants = new TreeMap<>();
        totals.tenants().forEach((tenant, counts) -> {
            long[] before = previous.tenants().getOrDefault(tenant, new long[3]);
            InstanceFigures.Tenant delta = new InstanceFigures.Tenant(counts[0] - before[0], counts[1] - before[1],
                    counts[2] - before[2]);
            if (delta.delivered() != 0 || delta.attempts() != 0) {
                tenants.put(tenant, delta);
            }
        });
        long[] lag = new long[totals.lag().length];
        for (int i = 0; i < lag.length; i++) {
            lag[i] = totals.lag()[i] - (i < previous.lag().length ? previous.lag()[i] : 0);
        }
        InstanceFigures figures = new InstanceFigures(now - previousAt, totals.accepted() - previous.accepted(),
                totals.sent() - previous.sent(), totals.delivered() - previous.delivered(),
                totals.attempts() - previous.attempts(), totals.failed() - previous.failed(),
                totals.dead() - previous.dead(), lag, Math.round(gauge("mehery.outbox.backlog")),
                Math.round(registry.find("mehery.callbacks.backlog").gauges().stream().mapToDouble(Gauge::value)
                        .sum()), Math.round(gauge("mehery.config.version")), tenants);
        commits.run(() -> {
            store.record(instance.id(), now, figures);
            store.forget(now - KEPT_MILLIS);
        });
        previous = totals;
        previousAt = now;
    }

    /** The counts since start that a sample takes the difference of. */
    private record Totals(long accepted, long sent, long delivered, long attempts, long failed, long dead,
            long[] lag, Map<String, long[]> tenants) {
        static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0, new long[0], Map.of());
    }

    private Totals totals() {
        Map<String, long[]> tenants = new HashMap<>();
        long delivered = 0;
        for (Counter counter : registry.find("mehery.callbacks.delivered").counters()) {
            long count = (long) counter.count();
            delivered += count;
            tenants.computeIfAbsent(counter.getId().getTag("tenant"), t -> new long[3])[0] += count;
        }
        long attempts = 0;
        long failed = 0;
        for (Timer timer : registry.find("mehery.callbacks.attempts").timers()) {
            long count = timer.count();
            boolean answered = "2xx".equals(timer.getId().getTag("outcome"));
            long[] ofTenant = tenants.computeIfAbsent(timer.getId().getTag("tenant"), t -> new long[3]);
            attempts += count;
            ofTenant[1] += count;
            if (!answered) {
                failed += count;
                ofTenant[2] += count;
            }
        }
        long dead = (long) registry.find("mehery.callbacks.dead.lettered").counters().stream()
                .mapToDouble(Counter::count).sum();
        return new Totals(accepted("inbound"), accepted("outbound"), delivered, attempts, failed, dead,
                deliveries.lagCounts(), tenants);
    }

    private long accepted(String direction) {
        Counter counter = registry.find(Conversations.ACCEPTED).tag("direction", direction).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private double gauge(String name) {
        return Gauges.valueOf(registry.find(name));
    }

    /**
     * GET /api/v1/admin/overview: the last 15 minutes of every instance, in slots of the sampling period, and all
     * instances together (rates added up; the lag's buckets added up before its percentiles are read; the backlogs,
     * which every instance reads from the shared store, taken once); the dead letters of the last hour; and which
     * configuration version each instance runs.
     */
    public Map<String, Object> overview() {
        long now = clock.millis();
        long step = live.current().console().sampleEvery().toMillis();
        List<InstanceFigures.Sampled> lastHour = store.since(now - KEPT_MILLIS);
        Map<String, List<InstanceFigures.Sampled>> byInstance = new TreeMap<>();
        TreeMap<Long, List<InstanceFigures.Sampled>> bySlot = new TreeMap<>();
        long dead = 0;
        for (InstanceFigures.Sampled sampled : lastHour) {
            dead += sampled.figures().deadLettered();
            if (sampled.sampledAt() >= now - SHOWN_MILLIS) {
                byInstance.computeIfAbsent(sampled.instanceId(), id -> new ArrayList<>()).add(sampled);
                bySlot.computeIfAbsent(sampled.sampledAt() / step, slot -> new ArrayList<>()).add(sampled);
            }
        }
        Series together = new Series();
        bySlot.forEach((slot, samples) -> together.add((slot + 1) * step, samples));
        List<Map<String, Object>> instances = new ArrayList<>();
        for (Map<String, Object> running : configurations.instances()) {
            String id = String.valueOf(running.get("instance"));
            Series own = new Series();
            byInstance.getOrDefault(id, List.of()).forEach(sampled -> own.add(sampled.sampledAt(), List.of(sampled)));
            Map<String, Object> shown = new LinkedHashMap<>(running);
            shown.put("acceptsPerSecond", own.latest(own.accepts));
            shown.put("sendsPerSecond", own.latest(own.sends));
            shown.put("callbacksPerSecond", own.latest(own.callbacks));
            shown.put("series", own.toMap());
            instances.add(shown);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("stepSeconds", step / 1000.0);
        answer.put("together", together.toMap());
        answer.put("instances", instances);
        answer.put("deadLettersLastHour", dead);
        return answer;
    }

    /** Figures over time, one point a slot: rates per second, lag percentiles, backlogs. */
    private static final class Series {
        private final List<Long> at = new ArrayList<>();
        private final List<Double> accepts = new ArrayList<>();
        private final List<Double> sends = new ArrayList<>();
        private final List<Double> callbacks = new ArrayList<>();
        private final List<Double> lagP50 = new ArrayList<>();
        private final List<Double> lagP99 = new ArrayList<>();
        private final List<Long> outbox = new ArrayList<>();
        private final List<Long> backlog = new ArrayList<>();

        /** A point from the samples of one slot, one per instance at most (a second one of an instance counts too). */
        void add(long time, List<InstanceFigures.Sampled> samples) {
            at.add(time);
            accepts.add(rate(samples, InstanceFigures::accepted));
            sends.add(rate(samples, InstanceFigures::sent));
            callbacks.add(rate(samples, InstanceFigures::delivered));
            long[] lag = new long[DeliveryMetrics.LAG_BOUNDS_MILLIS.length + 1];
            for (InstanceFigures.Sampled sampled : samples) {
                long[] counts = sampled.figures().lagCounts();
                for (int i = 0; i < Math.min(lag.length, counts.length); i++) {
                    lag[i] += counts[i];
                }
            }
            lagP50.add(percentile(lag, 0.50));
            lagP99.add(percentile(lag, 0.99));
            outbox.add(max(samples, InstanceFigures::outboxBacklog));
            backlog.add(max(samples, InstanceFigures::callbackBacklog));
        }

        Double latest(List<Double> series) {
            return series.isEmpty() ? null : series.get(series.size() - 1);
        }

        Map<String, Object> toMap() {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("at", at);
            shown.put("acceptsPerSecond", accepts);
            shown.put("sendsPerSecond", sends);
            shown.put("callbacksPerSecond", callbacks);
            shown.put("lagP50Millis", lagP50);
            shown.put("lagP99Millis", lagP99);
            shown.put("outboxBacklog", outbox);
            shown.put("callbackBacklog", backlog);
            return shown;
        }

        /** Each instance's count over its own interval, added up. */
        private static double rate(List<InstanceFigures.Sampled> samples, ToLongFunction<InstanceFigures> count) {
            return round(samples.stream().mapToDouble(rateOf(count)).sum());
        }

        private static ToDoubleFunction<InstanceFigures.Sampled> rateOf(ToLongFunction<InstanceFigures> count) {
            return s -> count.applyAsLong(s.figures()) * 1000.0 / Math.max(1, s.figures().intervalMillis());
        }

        private static long max(List<InstanceFigures.Sampled> samples, ToLongFunction<InstanceFigures> figure) {
            return samples.stream().mapToLong(s -> figure.applyAsLong(s.figures())).max().orElse(0);
        }

        /**
         * The lag below which {@code share} of the callbacks were delivered, read off the buckets by a straight line
         * within the bucket it falls in; null without callbacks, the last bound for those above it.
         */
        static Double percentile(long[] counts, double share) {
            long total = 0;
            for (long count : counts) {
                total += count;
            }
            if (total == 0) {
                return null;
            }
            double rank = share * total;
            long below = 0;
            long[] bounds = DeliveryMetrics.LAG_BOUNDS_MILLIS;
            for (int i = 0; i < counts.length; i++) {
                if (below + counts[i] >= rank && counts[i] > 0) {
                    if (i >= bounds.length) {
                        return (double) bounds[bounds.length - 1];
                    }
                    double lower = i == 0 ? 0 : bounds[i - 1];
                    return round(lower + (bounds[i] - lower) * (rank - below) / counts[i]);
                }
                below += counts[i];
            }
            return (double) bounds[bounds.length - 1];
        }

        private static double round(double value) {
            return Double.parseDouble(String.format(Locale.ROOT, "%.2f", value));
        }
    }
}
