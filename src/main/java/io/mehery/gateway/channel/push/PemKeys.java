package io.mehery.gateway.channel.push;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** A PKCS#8 private key in PEM ({@code -----BEGIN PRIVATE KEY-----}), as Google and Apple hand them out. */
final class PemKeys {

    private PemKeys() {
    }

    static PrivateKey read(Path file, String algorithm) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), algorithm);
        } catch (IOException e) {
            throw new UncheckedIOException("The key file " + file + " cannot be read", e);
        }
    }

    static PrivateKey parse(String pem, String algorithm) {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PKCS#8 " + algorithm + " private key in PEM", e);
        }
    }
}
