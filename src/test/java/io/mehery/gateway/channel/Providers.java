package io.mehery.gateway.channel;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.mehery.gateway.Api;

/**
 * What each provider sends the gateway, signed as the provider signs it: written here from the providers'
 * documentation, independently of the gateway's checks.
 */
public final class Providers {

    private Providers() {
    }

    /** Meta's X-Hub-Signature-256 (WhatsApp, Messenger, Instagram). */
    public static String metaSignature(String appSecret, String payload) {
        return "sha256=" + HexFormat.of().formatHex(hmac("HmacSHA256", appSecret, payload));
    }

    /** Twilio's X-Twilio-Signature: the URL, then each parameter name and value in name order. */
    public static String twilioSignature(String authToken, String url, Map<String, String> form) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(form).forEach((k, v) -> data.append(k).append(v));
        return Base64.getEncoder().encodeToString(hmac("HmacSHA1", authToken, data.toString()));
    }

    /** X's x-twitter-webhooks-signature (and CRC response token): sha256= and the base64 HMAC-SHA256. */
    public static String xSignature(String consumerSecret, String payload) {
        return "sha256=" + Base64.getEncoder().encodeToString(hmac("HmacSHA256", consumerSecret, payload));
    }

    public static Api.Reply x(Api api, String path, String consumerSecret, String payload) {
        return api.send(api.request(path, null).header("Content-Type", "application/json")
                .header("x-twitter-webhooks-signature", xSignature(consumerSecret, payload))
                .POST(HttpRequest.BodyPublishers.ofString(payload)));
    }

    public static Api.Reply meta(Api api, String path, String appSecret, String payload) {
        return api.send(api.request(path, null).header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", metaSignature(appSecret, payload))
                .POST(HttpRequest.BodyPublishers.ofString(payload)));
    }

    public static Api.Reply telegram(Api api, String path, String secretToken, String update) {
        return api.send(api.request(path, null).header("Content-Type", "application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", secretToken)
                .POST(HttpRequest.BodyPublishers.ofString(update)));
    }

    public static Api.Reply twilio(Api api, String path, String authToken, String publicUrl,
            Map<String, String> form) {
        return api.send(api.request(path, null).header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", twilioSignature(authToken, publicUrl, form))
                .POST(HttpRequest.BodyPublishers.ofString(formOf(form))));
    }

    /** The form as application/x-www-form-urlencoded. */
    public static String formOf(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** A file under src/test/resources/fixtures. */
    public static String fixture(String path) {
        try (InputStream in = Providers.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The proof a business's server gives of its user: hex HMAC-SHA256 of the user id under the identity secret. */
    public static String userHash(String identitySecret, String userId) {
        return HexFormat.of().formatHex(hmac("HmacSHA256", identitySecret, userId));
    }

    private static byte[] hmac(String algorithm, String secret, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
