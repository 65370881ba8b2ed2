package io.mehery.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.mehery.gateway.config.MeheryProperties.Tenant;

class TenantsTest {

    private final Tenants tenants = new Tenants(Map.of(
            "demo", new Tenant("demo-key", "t1", null, null),
            "acme", new Tenant("acme-key", "t2", null, null)));

    @Test
    void resolvesEachKeyToItsOwnTenantOnly() {
        assertThat(tenants.authenticate("demo-key")).contains("demo");
        assertThat(tenants.authenticate("acme-key")).contains("acme");
        assertThat(tenants.authenticate("demo-key ")).isEmpty();
        assertThat(tenants.authenticate("demo")).isEmpty();
        assertThat(tenants.authenticate("")).isEmpty();
        assertThat(tenants.authenticate(null)).isEmpty();
    }

    @Test
    void neverShowsSecretsWhenPrinted() {
        assertThat(new Tenant("demo-key", "verify-me", "whsec_abc", null).toString())
                .doesNotContain("demo-key", "verify-me", "whsec_abc");
    }
}
