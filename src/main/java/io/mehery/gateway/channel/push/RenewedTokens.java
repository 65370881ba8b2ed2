package io.mehery.gateway.channel.push;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Credentials a provider makes us renew (FCM's access tokens, APNs' provider tokens), one per channel key: kept
 * until their renewal time, made again once for all callers when it passes, forgotten when the provider refuses one.
 */
final class RenewedTokens {

    /** A credential and when to make the next one (epoch millis). */
    record Token(String value, long renewAt) {
    }

    private final Clock clock;
    private final Map<String, Token> byKey = new ConcurrentHashMap<>();

    RenewedTokens(Clock clock) {
        this.clock = clock;
    }

    String get(String key, Supplier<Token> make) {
        Token held = byKey.get(key);
        if (held != null && held.renewAt() > clock.millis()) {
            return held.value();
        }
        synchronized (this) {
            held = byKey.get(key);
            if (held == null || held.renewAt() <= clock.millis()) {
                held = make.get();
                byKey.put(key, held);
            }
            return held.value();
        }
    }

    void forget(String key) {
        byKey.remove(key);
    }
}
