package io.mehery.gateway.channel.meta;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.security.Channels;
import io.mehery.gateway.security.Hmac;

/**
 * What Meta's webhooks (WhatsApp, Messenger, Instagram) have in common: the subscription handshake (the
 * meta-handshake route template) and the {@code X-Hub-Signature-256} over the raw body (the verify step of their
 * receive-from-provider routes), both checked in constant time.
 */
@Component("metaWebhooks")
public class MetaWebhooks {

    private static final String SIGNATURE_PREFIX = "sha256=";

    private final Channels channels;

    public MetaWebhooks(Channels channels) {
        this.channels = channels;
    }

    public String handshake(@Header("channelType") ChannelType type, @Header("channelId") String channelId,
            @Header("hub.mode") String mode, @Header("hub.verify_token") String verifyToken,
            @Header("hub.challenge") String challenge) {
        return challenge(channels.ofType(channelId, type), mode, verifyToken, challenge);
    }

    public void verify(@Header("channelType") ChannelType type, @Header("channelId") String channelId,
            @Header("X-Hub-Signature-256") String signature, @Body byte[] rawBody) {
        verifySignature(channels.ofType(channelId, type), rawBody, signature);
    }

    /** The challenge to echo when the handshake names the channel's verify token; 403 otherwise. */
    static String challenge(Channel channel, String mode, String verifyToken, String challenge) {
        if (!"subscribe".equals(mode) || channel.verifyToken() == null || verifyToken == null
                || !MessageDigest.isEqual(channel.verifyToken().getBytes(StandardCharsets.UTF_8),
                        verifyToken.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(403, List.of(Problem.of("VERIFY_TOKEN_MISMATCH", "hub.verify_token",
                    "The handshake does not name this channel's verify token")));
        }
        return challenge;
    }

    /** Refuses (401) a body whose signature is missing or is not the app secret's HMAC-SHA256 of these bytes. */
    public static void verifySignature(Channel channel, byte[] rawBody, String header) {
        if (header == null || !header.startsWith(SIGNATURE_PREFIX)) {
            throw unsigned("X-Hub-Signature-256 is missing");
        }
        if (channel.appSecret() == null) {
            throw new IllegalStateException("the channel has no app-secret to check signatures with");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring(SIGNATURE_PREFIX.length()));
        } catch (IllegalArgumentException notHex) {
            throw unsigned("X-Hub-Signature-256 is not a hex digest");
        }
        if (!MessageDigest.isEqual(Hmac.sha256(channel.appSecret().getBytes(StandardCharsets.UTF_8), rawBody), given)) {
            throw unsigned("X-Hub-Signature-256 does not match the body");
        }
    }

    private static ApiException unsigned(String why) {
        return new ApiException(401, List.of(Problem.of("INVALID_SIGNATURE", "X-Hub-Signature-256", why)));
    }
}
