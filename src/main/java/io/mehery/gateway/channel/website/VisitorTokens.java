package io.mehery.gateway.channel.website;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.security.Hmac;

/**
 * Who a widget speaks for. Every request of the widget carries a visitor token the gateway issued: the channel, the
 * visitor's address and an expiry, signed with a key derived from the channel's {@code identity-secret}, so a token
 * is worth nothing on another channel or after the secret changes. An anonymous visitor's address is a random id
 * the gateway chose; an identified visitor's is the host site's user id, taken only with the site's proof, the
 * hex HMAC-SHA256 of the user id under the same secret (Intercom's identity verification), computed by the site's
 * server so that no visitor can claim another's id.
 */
@Component
public class VisitorTokens {

    /** An anonymous visitor's address begins so; a site's user id is taken as it is given. */
    static final String ANONYMOUS = "anon:";
    private static final String TOKEN_KEY_PURPOSE = "mehery webchat visitor token v1";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    private final SecureRandom random = new SecureRandom();
    private final Duration ttl;
    private final Clock clock;

    public VisitorTokens(MeheryProperties properties, Clock clock) {
        this.ttl = properties.webchat().tokenTtl();
        this.clock = clock;
    }

    /** A visitor of a website channel, as a token names it; an identified visitor's name is the site's. */
    public record Visitor(String channelId, String address, boolean identified, String name) {
    }

    /** A token and when it stops being taken (epoch milliseconds). */
    public record Issued(Visitor visitor, String token, long expiresAt) {
    }

    /** A new anonymous visitor. */
    public Issued anonymous(String channelId, Channel channel) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return issue(channel, new Visitor(channelId, ANONYMOUS + BASE64URL.encodeToString(id), false, null));
    }

    /** The host site's user, when {@code userHash} proves the site vouches for {@code userId}; 401 otherwise. */
    public Issued identified(String channelId, Channel channel, String userId, String userHash, String name) {
        if (userId == null || userId.isBlank() || userId.length() > 100 || userId.indexOf('\n') >= 0) {
            throw ApiException.badRequest("INVALID_FIELD", "userId", "userId is the site's id of the user: 1 to 100"
                    + " characters on one line");
        }
        if (name != null && (name.length() > 200 || name.indexOf('\n') >= 0)) {
            throw ApiException.badRequest("INVALID_FIELD", "name", "name is at most 200 characters on one line");
        }
        byte[] expected = HexFormat.of().formatHex(Hmac.sha256(channel.identitySecret().getBytes(StandardCharsets.UTF_8),
                userId.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.US_ASCII);
        if (userHash == null || !MessageDigest.isEqual(expected,
                userHash.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw refused("IDENTITY_NOT_VERIFIED", "userHash",
                    "userHash is not the HMAC-SHA256 of userId under this channel's identity secret");
        }
        return issue(channel, new Visitor(channelId, userId, true, name));
    }

    /** The same visitor with a fresh expiry. */
    public Issued renew(Channel channel, Visitor visitor) {
        return issue(channel, visitor);
    }

    /** The visitor a bearer token names, when it is this channel's, unexpired and signed by it. */
    public Optional<Visitor> read(String channelId, Channel channel, String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot < 1 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        try {
            byte[] payload = BASE64URL_DECODER.decode(token.substring(0, dot));
            byte[] signature = BASE64URL_DECODER.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, Hmac.sha256(tokenKey(channel), payload))) {
                return Optional.empty();
            }
            String[] fields = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
            if (fields.length != 5 || !fields[0].equals(channelId)
                    || Long.parseLong(fields[2]) <= clock.millis()) {
                return Optional.empty();
            }
            return Optional.of(new Visitor(channelId, fields[1], fields[3].equals("1"),
                    fields[4].isEmpty() ? null : fields[4]));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /** The visitor of a request's {@code Authorization: Bearer} token; 401 without a token this channel issued. */
    public Visitor require(String channelId, Channel channel, String authorization) {
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        return read(channelId, channel, token).orElseThrow(() -> refused("INVALID_VISITOR_TOKEN", "Authorization",
                "The request needs a visitor token of this channel (Authorization: Bearer <token>); ask for one with"
                        + " POST /webhooks/website/{channelId}/visitors"));
    }

    private Issued issue(Channel channel, Visitor visitor) {
        long expiresAt = clock.millis() + ttl.toMillis();
        byte[] payload = String.join("\n", visitor.channelId(), visitor.address(), Long.toString(expiresAt),
                visitor.identified() ? "1" : "0", visitor.name() == null ? "" : visitor.name())
                .getBytes(StandardCharsets.UTF_8);
        String token = BASE64URL.encodeToString(payload) + "." + BASE64URL.encodeToString(
                Hmac.sha256(tokenKey(channel), payload));
        return new Issued(visitor, token, expiresAt);
    }

    /** A key of its own for tokens, so that no user hash a site computed can pass for a token's signature. */
    private static byte[] tokenKey(Channel channel) {
        return Hmac.sha256(channel.identitySecret().getBytes(StandardCharsets.UTF_8),
                TOKEN_KEY_PURPOSE.getBytes(StandardCharsets.UTF_8));
    }

    static ApiException refused(String code, String field, String description) {
        return new ApiException(401, List.of(Problem.of(code, field, description)));
    }
}
