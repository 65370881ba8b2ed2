package io.mehery.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

import org.springframework.stereotype.Component;

import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;

/**
 * The console's sessions, held by the browser in a cookie that the gateway signed: who signed in (the operator, or
 * a tenant), until when, and a nonce. It is signed with a key derived from the API key that signed in, so any
 * instance of a cluster can check it with no session store, and changing that key (or removing the tenant) ends
 * every session it opened. The key itself never leaves the server. A change made from the console also carries the
 * session's CSRF token, which only a page of the gateway's own origin can read (from {@code GET /console/session}).
 */
@Component
public class ConsoleSessions {

    /** The cookie's name. */
    public static final String COOKIE = "mehery_console";
    /** The header a console page sends its CSRF token in, with every request that changes something. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** The request attribute in which the HTTP edge leaves the session it found valid. */
    public static final String AUTHENTICATED = "mehery.consoleSession";

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNBASE64 = Base64.getUrlDecoder();
    private static final String VERSION = "v1";
    private static final String OPERATOR = "operator";
    private static final String TENANT = "tenant";

    private final LiveConfiguration live;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ConsoleSessions(LiveConfiguration live, Clock clock) {
        this.live = live;
        this.clock = clock;
    }

    /** A session: the operator's ({@code tenant} null) or a tenant's, valid until {@code expiresAt}. */
    public record Session(String tenant, long expiresAt, String csrfToken) {

        public boolean operator() {
            return tenant == null;
        }

        public String role() {
            return operator() ? OPERATOR : TENANT;
        }
    }

    /** A new session for whoever holds {@code apiKey} ({@code tenant} null for the operator), and its cookie value. */
    public Signed open(String tenant, String apiKey) {
        long expiresAt = clock.millis() + live.current().console().sessionTtl().toMillis();
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String claims = String.join(".", VERSION, tenant == null ? OPERATOR : TENANT,
                BASE64.encodeToString((tenant == null ? "" : tenant).getBytes(StandardCharsets.UTF_8)),
                Long.toString(expiresAt), BASE64.encodeToString(nonce));
        byte[] key = keyOf(apiKey);
        return new Signed(claims + "." + BASE64.encodeToString(Hmac.sha256(key, bytes(claims))),
                new Session(tenant, expiresAt, csrf(key, claims)));
    }

    /** A cookie's value and the session it holds. */
    public record Signed(String cookieValue, Session session) {
        @Override
        public String toString() {
            return "Signed[" + session.role() + ", value hidden]";
        }
    }

    /** The session a cookie holds, if its signature is right under the key of today and it has not expired. */
    public Optional<Session> verify(String cookieValue) {
        if (cookieValue == null || cookieValue.length() > 1000) {
            return Optional.empty();
        }
        int lastDot = cookieValue.lastIndexOf('.');
        String[] parts = cookieValue.split("\\.", -1);
        if (lastDot < 0 || parts.length != 6 || !VERSION.equals(parts[0])) {
            return Optional.empty();
        }
        try {
            String tenant = switch (parts[1]) {
                case OPERATOR -> null;
                case TENANT -> new String(UNBASE64.decode(parts[2]), StandardCharsets.UTF_8);
                default -> throw new IllegalArgumentException("no such role");
            };
            long expiresAt = Long.parseLong(parts[3]);
            Optional<String> apiKey = apiKeyOf(tenant);
            if (apiKey.isEmpty() || expiresAt <= clock.millis()) {
                return Optional.empty();
            }
            String claims = cookieValue.substring(0, lastDot);
            byte[] key = keyOf(apiKey.get());
            boolean signed = MessageDigest.isEqual(Hmac.sha256(key, bytes(claims)), UNBASE64.decode(parts[5]));
            return signed ? Optional.of(new Session(tenant, expiresAt, csrf(key, claims))) : Optional.empty();
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /** Whether a request's CSRF token is its session's, compared in constant time. */
    public static boolean csrfMatches(Session session, String presented) {
        return presented != null && MessageDigest.isEqual(bytes(session.csrfToken()), bytes(presented));
    }

    private Optional<String> apiKeyOf(String tenant) {
        MeheryProperties current = live.current();
        String key = tenant == null ? current.admin().apiKey()
                : Optional.ofNullable(current.tenants().get(tenant)).map(MeheryProperties.Tenant::apiKey).orElse(null);
        return key == null || key.isBlank() ? Optional.empty() : Optional.of(key);
    }

    private static byte[] keyOf(String apiKey) {
        return Hmac.derivedKey(apiKey, "console session");
    }

    private static String csrf(byte[] key, String claims) {
        return BASE64.encodeToString(Hmac.sha256(key, bytes("csrf." + claims)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
