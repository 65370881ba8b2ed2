package io.mehery.gateway.security;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Events counted per key in fixed windows that start with a key's first event. At most {@code maxKeys} keys are
 * remembered: past that the windows that ended are forgotten first, so a flood of new keys costs bounded memory.
 */
public final class FixedWindowCounts {

    private final long windowMillis;
    private final int maxKeys;
    private final Clock clock;
    private final Map<String, Window> byKey = new ConcurrentHashMap<>();

    public FixedWindowCounts(long windowMillis, int maxKeys, Clock clock) {
        this.windowMillis = windowMillis;
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /** How many events of the key its current window has counted, and when that window ends. */
    public record Window(long endsAt, int count) {
    }

    /** Counts one more event of the key: its window, this event counted. */
    public Window add(String key) {
        long now = clock.millis();
        if (byKey.size() >= maxKeys) {
            byKey.values().removeIf(w -> w.endsAt() <= now);
        }
        return byKey.compute(key, (k, w) -> w == null || w.endsAt() <= now ? new Window(now + windowMillis, 1)
                : new Window(w.endsAt(), w.count() + 1));
    }

    /** The key's window, while it lasts. */
    public Optional<Window> current(String key) {
        Window window = byKey.get(key);
        return window == null || window.endsAt() <= clock.millis() ? Optional.empty() : Optional.of(window);
    }
}
