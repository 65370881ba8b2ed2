package io.mehery.gateway.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mehery.gateway.StandaloneGateway;

/** Configurations the gateway refuses to start on, each with the key to fix. */
class StartupConfigurationTest {

    @TempDir
    Path dataDir;

    @Test
    void aTenantWithoutAVerifyTokenIsRefused() {
        assertThatThrownBy(() -> StandaloneGateway.startWithProfiles(List.of(), dataDir,
                "--mehery.tenants.own.api-key=own-key").close())
                .rootCause().isInstanceOf(InvalidConfiguration.class)
                .hasMessageContaining("mehery.tenants.own.verify-token is required");
    }

    @Test
    void theOperatorKeyCannotBeATenantsKey() {
        assertThatThrownBy(() -> StandaloneGateway.startWithProfiles(List.of(), dataDir,
                "--mehery.tenants.own.api-key=same-key", "--mehery.tenants.own.verify-token=t",
                "--mehery.admin.api-key=same-key").close())
                .rootCause().isInstanceOf(InvalidConfiguration.class)
                .hasMessageContaining("mehery.admin.api-key is also a tenant's api-key");
    }
}
