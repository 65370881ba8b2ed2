package io.mehery.gateway.channel.sms;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.security.Hmac;

/**
 * Twilio's request signature: base64 HMAC-SHA1, keyed by the auth token, of the URL exactly as configured in
 * Twilio followed by every POST parameter's name and value, sorted by name. Behind a proxy the URL the gateway
 * sees differs, so the channel's {@code public-url} is what is signed.
 */
final class TwilioSignatures {

    private TwilioSignatures() {
    }

    static void verify(String authToken, String publicUrl, Map<String, String> parameters, String header) {
        if (header == null || header.isBlank()) {
            throw refused("X-Twilio-Signature is missing");
        }
        byte[] expected = sign(authToken, publicUrl, parameters).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, header.trim().getBytes(StandardCharsets.UTF_8))) {
            throw refused("X-Twilio-Signature does not match the request");
        }
    }

    static String sign(String authToken, String publicUrl, Map<String, String> parameters) {
        StringBuilder signed = new StringBuilder(publicUrl);
        new TreeMap<>(parameters).forEach((name, value) -> signed.append(name).append(value));
        return Base64.getEncoder().encodeToString(Hmac.sha1(authToken, signed.toString()));
    }

    private static ApiException refused(String why) {
        return new ApiException(401, List.of(Problem.of("INVALID_SIGNATURE", "X-Twilio-Signature", why)));
    }
}
