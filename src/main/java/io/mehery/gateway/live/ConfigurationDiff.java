package io.mehery.gateway.live;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import io.mehery.gateway.config.MeheryProperties;

/**
 * What a change would do, in lines an operator reads ({@code + channel acme-web (WEBSITE)},
 * {@code ~ channel wa-whatsapp: base-url, access-token (secret)}, {@code - tenant old}); a secret is named, never
 * shown. {@link #notLive} names the keys a change may not touch on a running gateway.
 */
public final class ConfigurationDiff {

    /** Keys whose values are credentials: a diff says they changed, not to what. */
    private static final Set<String> SECRETS = Set.of("api-key", "verify-token", "signing-secret", "access-token",
            "app-secret", "bot-token", "secret-token", "auth-token", "identity-secret", "consumer-key",
            "consumer-secret", "access-token-secret", "app-key", "smtp-url", "imap-url");
    /** The sections that change on a running gateway. */
    private static final Set<String> LIVE = Set.of("tenants", "channels", "templates", "taps", "mappings", "tags");

    private ConfigurationDiff() {
    }

    public static List<String> between(MeheryProperties from, MeheryProperties to) {
        List<String> changes = new ArrayList<>();
        entries(changes, "tenant", from.tenants(), to.tenants());
        entries(changes, "channel", from.channels(), to.channels());
        entries(changes, "tap", from.taps(), to.taps());
        entries(changes, "mapping", from.mappings(), to.mappings());
        MeheryProperties.Delivery was = from.delivery();
        MeheryProperties.Delivery will = to.delivery();
        if (!was.retrySchedule().equals(will.retrySchedule()) || was.jitter() != will.jitter()) {
            changes.add("~ delivery: retry-schedule " + was.retrySchedule() + " -> " + will.retrySchedule()
                    + ", jitter " + was.jitter() + " -> " + will.jitter());
        }
        if (!was.breaker().equals(will.breaker())) {
            changes.add("~ delivery.breaker: " + will.breaker());
        }
        if (!from.tags().equals(to.tags())) {
            changes.add("~ tags: " + (from.tags().enabled() != to.tags().enabled() ? "enabled " + to.tags().enabled()
                    : "languages, entities or categories"));
        }
        for (String id : new TreeSet<>(union(from.templates().keySet(), to.templates().keySet()))) {
            String before = from.templates().get(id);
            String after = to.templates().get(id);
            if (before == null) {
                changes.add("+ template " + id);
            } else if (after == null) {
                changes.add("- template " + id);
            } else if (!before.equals(after)) {
                changes.add("~ template " + id);
            }
        }
        return changes;
    }

    /**
     * The keys that differ and take a restart: all but tenants, channels, templates, and the delivery's retry
     * schedule, jitter and breaker (its timeout and concurrency size the HTTP client and the consumers).
     */
    /** The delivery settings read once at start (the rest of mehery.delivery applies live). */
    private static final Map<String, Function<MeheryProperties.Delivery, Object>> DELIVERY_AT_START = new TreeMap<>(Map.of(
            "timeout", MeheryProperties.Delivery::timeout,
            "concurrency-per-tenant", MeheryProperties.Delivery::concurrencyPerTenant,
            "consumers-per-tenant", MeheryProperties.Delivery::consumersPerTenant,
            "stall-check-every", MeheryProperties.Delivery::stallCheckEvery));

    public static List<String> notLive(MeheryProperties running, MeheryProperties proposed) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent component : MeheryProperties.class.getRecordComponents()) {
            if (!LIVE.contains(component.getName()) && !component.getName().equals("delivery") && !Objects.equals(
                    value(component, running), value(component, proposed))) {
                keys.add("mehery." + ConfigurationDocuments.kebab(component.getName()));
            }
        }
        DELIVERY_AT_START.forEach((key, setting) -> {
            if (!Objects.equals(setting.apply(running.delivery()), setting.apply(proposed.delivery()))) {
                keys.add("mehery.delivery." + key);
            }
        });
        return keys;
    }

    private static <T extends Record> void entries(List<String> changes, String kind, Map<String, T> from,
            Map<String, T> to) {
        for (String id : new TreeSet<>(union(from.keySet(), to.keySet()))) {
            T before = from.get(id);
            T after = to.get(id);
            if (before == null) {
                String type = after instanceof MeheryProperties.Channel channel ? " (" + channel.type() + ")" : "";
                changes.add("+ " + kind + " " + id + type);
            } else if (after == null) {
                changes.add("- " + kind + " " + id);
            } else if (!before.equals(after)) {
                List<String> keys = new ArrayList<>();
                Map<String, Object> old = ConfigurationDocuments.keysOf(before);
                Map<String, Object> now = ConfigurationDocuments.keysOf(after);
                for (String key : new TreeSet<>(union(old.keySet(), now.keySet()))) {
                    if (!Objects.equals(old.get(key), now.get(key))) {
                        keys.add(SECRETS.contains(key) ? key + " (secret)" : key);
                    }
                }
                changes.add("~ " + kind + " " + id + ": " + String.join(", ", keys));
            }
        }
    }

    private static Object value(RecordComponent component, MeheryProperties properties) {
        try {
            return component.getAccessor().invoke(properties);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
