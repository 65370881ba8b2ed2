package io.mehery.gateway.security;

import java.security.MessageDigest;

import org.springframework.stereotype.Component;

import io.mehery.gateway.config.MeheryProperties;

/** The operator's {@code mehery.admin.api-key}, compared in constant time; with none configured, nothing matches. */
@Component
public class OperatorKey {

    /** The request attribute in which the HTTP edge says it authenticated the operator. */
    public static final String AUTHENTICATED = "mehery.authenticatedOperator";

    private final byte[] digest;

    public OperatorKey(MeheryProperties properties) {
        String key = properties.admin().apiKey();
        this.digest = key == null || key.isBlank() ? null : Digests.sha256(key);
    }

    public boolean matches(String presented) {
        return digest != null && presented != null && MessageDigest.isEqual(Digests.sha256(presented), digest);
    }
}
