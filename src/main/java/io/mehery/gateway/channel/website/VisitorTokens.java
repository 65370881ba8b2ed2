package io.mehery.gateway.channel.website;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.config.MeheryProperties;
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

    /** An anonymous visitor's address begins so; a site's user id is taken as it is given (the site vouches for it). */
    static final String ANONYMOUS = "anon:";
    private static final String TOKEN_KEY_PURPOSE = "mehery webchat visitor token v2";
    private static final String VISITOR_ID_PURPOSE = "mehery webchat anonymous visitor id v1";
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

    /**
     * A new anonymous visitor. Its address carries the channel's tag of its random part, so that a message/send to an
     * anonymous address this channel never issued is refused without the gateway keeping a list of its visitors.
     */
    public Issued anonymous(String channelId, Channel channel) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        String random = BASE64URL.encodeToString(id);
        return issue(channel, new Visitor(channelId, ANONYMOUS + random + "." + tagOf(channel, random), false, null));
    }

    /** Whether the channel (under its identity secret as it is now) issued this anonymous address. */
    public static boolean issuedAnonymous(Channel channel, String address) {
        if (!address.startsWith(ANONYMOUS)) {
            return false;
        }
        int dot = address.lastIndexOf('.');
        return dot > ANONYMOUS.length() && MessageDigest.isEqual(tagOf(channel, address.substring(ANONYMOUS.length(),
                dot)).getBytes(StandardCharsets.US_ASCII), address.substring(dot + 1).getBytes(StandardCharsets.UTF_8));
    }

    private static String tagOf(Channel channel, String random) {
        return BASE64URL.encodeToString(java.util.Arrays.copyOf(Hmac.sha256(Hmac.derivedKey(channel.identitySecret(),
                VISITOR_ID_PURPOSE), random.getBytes(StandardCharsets.US_ASCII)), 12));
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
        if (!Hmac.provesUser(channel.identitySecret(), userId, userHash)) {
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
        return readIssued(channelId, channel, token).map(Issued::visitor);
    }

    /** As {@link #read}, with the token's expiry: a live socket is closed when its token runs out. */
    public Optional<Issued> readIssued(String channelId, Channel channel, String token) {
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
            long expiresAt = fields.length == 5 ? Long.parseLong(fields[2]) : 0;
            if (fields.length != 5 || !fields[0].equals(channelId) || expiresAt <= clock.millis()) {
                return Optional.empty();
            }
            return Optional.of(new Issued(new Visitor(channelId, fields[1], fields[3].equals("1"),
                    fields[4].isEmpty() ? null : fields[4]), token, expiresAt));
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

    /**
     * A key of its own for tokens, derived with HKDF: an HMAC of the secret over a label would equal the user hash of
     * a user id equal to that label, which a site letting its users pick ids would hand out.
     */
    private static byte[] tokenKey(Channel channel) {
        return Hmac.derivedKey(channel.identitySecret(), TOKEN_KEY_PURPOSE);
    }

    static ApiException refused(String code, String field, String description) {
        return new ApiException(401, List.of(Problem.of(code, field, description)));
    }
}
