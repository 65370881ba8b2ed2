package io.mehery.gateway.channel.push;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;

import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.provider.ProviderCalls;
import io.mehery.gateway.provider.ProviderRequests;

/**
 * Firebase Cloud Messaging, HTTP v1 API: {@code POST {base-url}/v1/projects/{project-id}/messages:send} with an OAuth2
 * access token of the channel's service account. The token is had as Google documents for service accounts: a JWT
 * signed (RS256, by nimbus-jose-jwt) with the account's private key, exchanged at the key file's {@code token_uri};
 * it is kept until five minutes before it expires, and dropped when FCM says 401.
 */
@Component
class FcmSender implements PushSender {

    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    private static final String CALL = "provider://fcm?throwExceptionOnFailure=false";
    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);

    private final ProducerTemplate camel;
    private final ObjectMapper json;
    private final Clock clock;
    private final RenewedTokens tokens;

    FcmSender(ProducerTemplate camel, ObjectMapper json, Clock clock) {
        this.camel = camel;
        this.json = json;
        this.clock = clock;
        this.tokens = new RenewedTokens(clock);
    }

    @Override
    public String provider() {
        return "fcm";
    }

    @Override
    public Delivery send(Channel channel, String deviceToken, PushNotification notification) {
        String access = tokens.get(keyOf(channel), () -> exchange(channel));
        ObjectNode message = json.createObjectNode();
        ObjectNode fcm = message.putObject("message").put("token", deviceToken);
        ObjectNode shown = fcm.putObject("notification").put("title", notification.title())
                .put("body", notification.body());
        if (notification.imageUrl() != null) {
            shown.put("image", notification.imageUrl());
        }
        ObjectNode data = fcm.putObject("data").put("meheryMessageId", notification.messageId());
        if (!notification.actions().isEmpty()) {
            // FCM's data values are strings: the buttons travel as their JSON
            data.put("meheryActions", json.valueToTree(notification.actions()).toString());
        }
        String url = channel.baseUrl() + "/v1/projects/" + channel.projectId() + "/messages:send";
        ProviderRequests.Answer answer = ProviderRequests.post(camel, CALL, url, "application/json",
                "Bearer " + access, message.toString());
        if (answer.mayPass()) {
            return Delivery.of(Outcome.RETRY, "FCM answered " + answer.said());
        }
        JsonNode body = read(answer.body());
        if (answer.accepted()) {
            return Delivery.sent(body.path("name").asText(null));
        }
        if (answer.status() == 401) {
            tokens.forget(keyOf(channel));
            return Delivery.of(Outcome.RETRY, "FCM refused the access token; a new one is had for the next try");
        }
        for (JsonNode detail : body.at("/error/details")) {
            if ("UNREGISTERED".equals(detail.path("errorCode").asText())) {
                return Delivery.of(Outcome.UNREGISTERED, "FCM: the token is no longer registered (UNREGISTERED)");
            }
        }
        return Delivery.of(Outcome.FAILED, "FCM " + answer.status() + ": " + body.at("/error/message").asText(""));
    }

    private static String keyOf(Channel channel) {
        return channel.projectId() + "\n" + channel.serviceAccountFile();
    }

    /** A new access token of the service account, kept until shortly before it expires. */
    private RenewedTokens.Token exchange(Channel channel) {
        JsonNode account = serviceAccount(channel);
        String tokenUri = account.path("token_uri").asText("https://oauth2.googleapis.com/token");
        long now = clock.millis();
        String assertion;
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                    .keyID(account.path("private_key_id").asText(null)).build(), new JWTClaimsSet.Builder()
                            .issuer(account.path("client_email").asText()).audience(tokenUri)
                            .claim("scope", SCOPE).issueTime(new Date(now)).expirationTime(new Date(now + 3_600_000))
                            .build());
            jwt.sign(new RSASSASigner((RSAPrivateKey) PemKeys.parse(account.path("private_key").asText(), "RSA")));
            assertion = jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("The service account's key cannot sign", e);
        }
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer",
                StandardCharsets.UTF_8) + "&assertion=" + assertion;
        ProviderRequests.Answer answer = ProviderRequests.post(camel, CALL, tokenUri,
                "application/x-www-form-urlencoded", null, form);
        if (answer.mayPass()) {
            throw new ProviderCalls.ProviderUnavailableException("Google's token endpoint answered " + answer.said()
                    + "; FCM is tried again later");
        }
        JsonNode token = read(answer.body());
        if (!answer.accepted() || !token.hasNonNull("access_token")) {
            throw new IllegalStateException("Google refused the service account's token request (" + answer.status()
                    + "): " + token.path("error_description").asText(token.path("error").asText("")));
        }
        long lifetime = token.path("expires_in").asLong(3600) * 1000;
        return new RenewedTokens.Token(token.path("access_token").asText(), now + lifetime
                - Math.min(RENEW_BEFORE_EXPIRY.toMillis(), lifetime / 2));
    }

    private JsonNode serviceAccount(Channel channel) {
        try {
            return json.readTree(Files.readString(channel.serviceAccountFile(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("The service account file of channel " + channel + " cannot be read", e);
        }
    }

    private JsonNode read(String text) {
        try {
            return text == null || text.isBlank() ? json.createObjectNode() : json.readTree(text);
        } catch (IOException notJson) {
            return json.createObjectNode();
        }
    }
}
