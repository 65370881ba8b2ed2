package io.mehery.gateway.channel.push;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.mehery.gateway.config.MeheryProperties.Channel;

/**
 * Apple Push Notification service with token-based authentication: {@code POST {base-url}/3/device/{token}} over
 * HTTP/2 (the JDK's client; camel-http speaks HTTP/1.1 only), {@code apns-topic} the app's bundle id,
 * {@code apns-push-type: alert}, and a provider token, an ES256 JWT of the team and key id signed (nimbus-jose-jwt)
 * with the channel's .p8 key, made again every {@link #TOKEN_LIFETIME} (Apple takes one between 20 and 60 minutes
 * old) or when Apple says it expired. The image of a notification goes in the payload as {@code imageUrl}, for the
 * app's notification service extension to show.
 */
@Component
class ApnsSender implements PushSender {

    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(50);
    /** The reasons Apple gives for a token that no longer reaches the app. */
    private static final Set<String> GONE = Set.of("Unregistered", "BadDeviceToken", "DeviceTokenNotForTopic");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration timeout;
    private final RenewedTokens tokens;

    ApnsSender(ObjectMapper json, Clock clock, @Value("${mehery.providers.timeout:20s}") Duration timeout) {
        this.json = json;
        this.clock = clock;
        this.timeout = timeout;
        this.tokens = new RenewedTokens(clock);
    }

    @Override
    public String provider() {
        return "apns";
    }

    @Override
    public Delivery send(Channel channel, String deviceToken, PushNotification notification) {
        ObjectNode payload = json.createObjectNode();
        ObjectNode aps = payload.putObject("aps");
        aps.putObject("alert").put("title", notification.title()).put("body", notification.body());
        aps.put("sound", "default");
        payload.put("meheryMessageId", notification.messageId());
        if (!notification.actions().isEmpty()) {
            payload.set("meheryActions", json.valueToTree(notification.actions()));
        }
        if (notification.imageUrl() != null) {
            aps.put("mutable-content", 1);
            payload.put("imageUrl", notification.imageUrl());
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(channel.baseUrl() + "/3/device/" + deviceToken))
                .timeout(timeout)
                .header("authorization", "bearer " + tokens.get(keyOf(channel), () -> providerToken(channel)))
                .header("apns-topic", channel.topic())
                .header("apns-push-type", "alert")
                .header("apns-priority", "10")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload.toString())).build();
        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException unreachable) {
            return Delivery.of(Outcome.RETRY, "APNs could not be reached: " + unreachable.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Delivery.of(Outcome.RETRY, "interrupted while calling APNs");
        }
        int status = answer.statusCode();
        if (status == 200) {
            return Delivery.sent(answer.headers().firstValue("apns-id").orElse(null));
        }
        String reason = reasonOf(answer.body());
        if (status == 410 || GONE.contains(reason)) {
            return Delivery.of(Outcome.UNREGISTERED, "APNs: " + reason);
        }
        if (status == 403 && reason.endsWith("ProviderToken")) {
            tokens.forget(keyOf(channel));
            return Delivery.of(Outcome.RETRY, "APNs: " + reason + "; a new provider token is made for the next try");
        }
        if (status == 429 || status >= 500) {
            return Delivery.of(Outcome.RETRY, "APNs " + status + ": " + reason);
        }
        return Delivery.of(Outcome.FAILED, "APNs " + status + ": " + reason);
    }

    private RenewedTokens.Token providerToken(Channel channel) {
        long now = clock.millis();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(channel.keyId()).build(),
                    new JWTClaimsSet.Builder().issuer(channel.teamId()).issueTime(new Date(now)).build());
            jwt.sign(new ECDSASigner((ECPrivateKey) PemKeys.read(channel.privateKeyFile(), "EC")));
            return new RenewedTokens.Token(jwt.serialize(), now + TOKEN_LIFETIME.toMillis());
        } catch (JOSEException e) {
            throw new IllegalStateException("The APNs key of the channel cannot sign", e);
        }
    }

    private static String keyOf(Channel channel) {
        return channel.teamId() + "\n" + channel.keyId();
    }

    private String reasonOf(String body) {
        try {
            JsonNode answer = body == null || body.isBlank() ? null : json.readTree(body);
            return answer == null ? "" : answer.path("reason").asText("");
        } catch (IOException notJson) {
            return "";
        }
    }
}
