package io.mehery.gateway.security;

import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Tenant;
import io.mehery.gateway.config.MeheryProperties;

/** Resolves an {@code x-api-key} to its tenant without letting response times reveal how much of a key matched. */
public class Tenants implements LiveConfiguration.Listener {

    /** The tenants and the digests of their keys, replaced whole when the tenants change. */
    private record Known(Map<String, Tenant> tenants, Map<String, byte[]> keyDigests) {

        static Known of(Map<String, Tenant> tenants) {
            Map<String, byte[]> digests = new LinkedHashMap<>();
            tenants.forEach((id, tenant) -> digests.put(id, Digests.sha256(tenant.apiKey())));
            return new Known(Map.copyOf(tenants), digests);
        }
    }

    private volatile Known known;

    public Tenants(Map<String, Tenant> tenants) {
        this.known = Known.of(tenants);
    }

    @Override
    public void changed(MeheryProperties previous, MeheryProperties next) {
        known = Known.of(next.tenants());
    }

    /**
     * Compares the digest of the presented key with every tenant's, always all of them, so neither the key's
     * length nor which tenant it belongs to changes the time taken.
     */
    /** The request attribute in which the HTTP edge leaves the tenant whose x-api-key it authenticated. */
    public static final String AUTHENTICATED = "mehery.authenticatedTenant";

    public Optional<String> authenticate(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = Digests.sha256(apiKey);
        String match = null;
        for (Map.Entry<String, byte[]> entry : known.keyDigests().entrySet()) {
            if (MessageDigest.isEqual(presented, entry.getValue()) && match == null) {
                match = entry.getKey();
            }
        }
        return Optional.ofNullable(match);
    }

    public Optional<Tenant> find(String tenantId) {
        return Optional.ofNullable(known.tenants().get(tenantId));
    }
}
