package io.mehery.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mehery.gateway.Api;
import io.mehery.gateway.StandaloneGateway;

/** The demo tenant's key is public (it is in the README): it exists only when the demo profile is asked for. */
class DemoProfileTest {

    @TempDir
    Path dataDir;

    @Test
    void aGatewayWithItsOwnTenantsHasNoDemoKey() {
        try (StandaloneGateway gateway = StandaloneGateway.startWithProfiles(List.of(), dataDir,
                "--mehery.tenants.own.api-key=own-key", "--mehery.tenants.own.verify-token=own-token")) {
            Api api = gateway.api();

            assertThat(api.get("/api/v1/admin/dead-letters", Api.DEMO_KEY).status()).isEqualTo(401);
            assertThat(api.post("/webhooks/dummy/sandbox", Api.DEMO_KEY,
                    "{\"from\":\"+15550101\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}").status()).isEqualTo(401);
            assertThat(api.get("/api/v1/admin/dead-letters", "own-key").status()).isEqualTo(200);
            assertThat(api.get("/actuator/health", "demo-admin-key").body()).doesNotContain("components");
        }
    }

    @Test
    void aGatewayWithNoTenantAtAllRefusesToStartAndSaysWhy() {
        assertThatThrownBy(() -> StandaloneGateway.startWithProfiles(List.of(), dataDir).close())
                .rootCause().hasMessageContaining("No tenant is configured")
                .hasMessageContaining("--spring.profiles.active=demo");
        assertThat(Files.exists(dataDir)).isTrue();
    }
}
