package io.mehery.gateway.channel.push;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;

/**
 * Credentials of the test push channels, made for the run: a Google service account key file (RSA, its
 * {@code token_uri} at the provider stub) and an APNs .p8 key (EC P-256), with the public halves to check the
 * gateway's signatures by.
 */
public final class PushKeys {

    public static final KeyPair SERVICE_ACCOUNT = generate("RSA", null);
    public static final KeyPair APNS = generate("EC", "secp256r1");
    public static final String CLIENT_EMAIL = "gateway@acme-shop.iam.gserviceaccount.com";

    private PushKeys() {
    }

    /** The service account's key file, as Google's console hands it out. */
    public static Path serviceAccountFile(String tokenUri) {
        String json = "{\"type\":\"service_account\",\"project_id\":\"acme-shop\",\"private_key_id\":\"k1\","
                + "\"private_key\":\"" + pem(SERVICE_ACCOUNT).replace("\n", "\\n") + "\",\"client_email\":\""
                + CLIENT_EMAIL + "\",\"token_uri\":\"" + tokenUri + "\"}";
        return write("service-account", ".json", json);
    }

    /** The .p8 key file, as Apple's developer account hands it out. */
    public static Path apnsKeyFile() {
        return write("AuthKey_KEY1234567", ".p8", pem(APNS));
    }

    /** The command-line arguments that give the test profile's push channels their key files. */
    public static List<String> arguments(String tokenUri) {
        return List.of("--mehery.channels.app-fcm.service-account-file=" + serviceAccountFile(tokenUri),
                "--mehery.channels.app-apns.private-key-file=" + apnsKeyFile());
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    private static Path write(String prefix, String suffix, String content) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "test-keys"));
            Path file = Files.createTempFile(dir.toAbsolutePath(), prefix, suffix);
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair generate(String algorithm, String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (curve != null) {
                generator.initialize(new ECGenParameterSpec(curve));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
