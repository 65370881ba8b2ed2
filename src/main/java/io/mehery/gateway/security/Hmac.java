package io.mehery.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hashes providers sign with (HMAC-SHA256, HMAC-SHA1), over bytes or UTF-8 text, and the keys the gateway
 * derives from a secret for purposes of its own.
 */
public final class Hmac {

    private static final byte[] HKDF_SALT = "mehery-gateway key derivation v1".getBytes(StandardCharsets.UTF_8);

    private Hmac() {
    }

    public static byte[] sha256(byte[] key, byte[] data) {
        return mac("HmacSHA256", key, data);
    }

    public static byte[] sha256(String key, String data) {
        return sha256(key.getBytes(StandardCharsets.UTF_8), data.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A key of its own for one purpose, derived from a secret with HKDF-SHA256 (RFC 5869): the salt, not the secret,
     * keys the extract step, so no HMAC under the secret that a caller can obtain (a user hash a site computes) is
     * ever equal to a derived key, and keys of different {@code info} labels tell nothing of each other.
     */
    public static byte[] derivedKey(String secret, String info) {
        byte[] pseudoRandomKey = sha256(HKDF_SALT, secret.getBytes(StandardCharsets.UTF_8));
        byte[] label = info.getBytes(StandardCharsets.UTF_8);
        byte[] firstBlock = java.util.Arrays.copyOf(label, label.length + 1);
        firstBlock[label.length] = 1;
        return sha256(pseudoRandomKey, firstBlock);
    }

    /**
     * Whether {@code userHash} is the hex HMAC-SHA256 of {@code userId} under the secret: the proof a business's server
     * gives that the user is who its page or app says (website visitors, push devices). Compared in constant time.
     */
    public static boolean provesUser(String secret, String userId, String userHash) {
        if (userHash == null || userId == null) {
            return false;
        }
        byte[] expected = java.util.HexFormat.of().formatHex(sha256(secret.getBytes(StandardCharsets.UTF_8),
                userId.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.US_ASCII);
        return java.security.MessageDigest.isEqual(expected,
                userHash.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] sha1(String key, String data) {
        return mac("HmacSHA1", key.getBytes(StandardCharsets.UTF_8), data.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] mac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}
