package io.mehery.gateway.live;

import static io.mehery.gateway.GatewayTestSupport.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.StandaloneGateway;
import io.mehery.gateway.channel.push.PushKeys;
import io.mehery.gateway.config.LiveConfiguration;

/**
 * A change applied through the API outlives a restart while the files stay as they were; once the files change,
 * they are the configuration again.
 */
class LiveConfigurationRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void anApiChangeRunsAgainAfterARestartUntilTheFilesChange() {
        List<String> files = new ArrayList<>(PushKeys.arguments("http://127.0.0.1:9/oauth2/token"));
        try (var gateway = StandaloneGateway.startWithProfiles(List.of("test", "demo"), dataDir,
                files.toArray(String[]::new))) {
            Api api = gateway.api();
            ObjectNode document = JSON.valueToTree(ConfigurationDocuments.documentOf(
                    gateway.bean(LiveConfiguration.class).current()));
            ((ObjectNode) document.get("mehery").get("templates")).put("kept_over_restart", "Still here {{1}}");
            Api.Reply applied = api.post("/api/v1/admin/config/apply", ADMIN_KEY,
                    document.toString());
            assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        }

        try (var gateway = StandaloneGateway.startWithProfiles(List.of("test", "demo"), dataDir,
                files.toArray(String[]::new))) {
            assertThat(gateway.bean(LiveConfiguration.class).templates()).containsKey("kept_over_restart");
        }

        files.add("--mehery.templates.from_the_files=Edited {{1}}");
        try (var gateway = StandaloneGateway.startWithProfiles(List.of("test", "demo"), dataDir,
                files.toArray(String[]::new))) {
            assertThat(gateway.bean(LiveConfiguration.class).templates()).containsKey("from_the_files")
                    .doesNotContainKey("kept_over_restart");
            var versions = gateway.api().get("/api/v1/admin/config/versions", ADMIN_KEY).json()
                    .get("results");
            assertThat(versions.get(0).get("source").asText()).isEqualTo("start");
            assertThat(versions.get(1).get("source").asText()).isEqualTo("api");
        }
    }
}
