package io.mehery.gateway.live;

import static io.mehery.gateway.GatewayTestSupport.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mehery.gateway.StandaloneGateway;
import io.mehery.gateway.channel.push.PushKeys;
import io.mehery.gateway.config.LiveConfiguration;

/** Editing a configuration file changes the running gateway; a bad edit is refused and the gateway keeps serving. */
class ConfigurationFilesWatcherTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path configDir;

    @Test
    void anEditedFileIsAppliedAndABrokenEditIsRefused() throws IOException {
        Path file = configDir.resolve("extra.yaml");
        Files.writeString(file, "mehery:\n  templates:\n    watched: \"first {{1}}\"\n");
        List<String> arguments = new ArrayList<>(PushKeys.arguments("http://127.0.0.1:9/oauth2/token"));
        arguments.add("--spring.config.additional-location=file:" + file);
        arguments.add("--mehery.config.watch=true");
        arguments.add("--mehery.config.watch-quiet-period=200ms");
        try (var gateway = StandaloneGateway.startWithProfiles(List.of("test", "demo"), dataDir,
                arguments.toArray(String[]::new))) {
            LiveConfiguration live = gateway.bean(LiveConfiguration.class);
            assertThat(live.templates()).containsEntry("watched", "first {{1}}");

            Files.writeString(file, "mehery:\n  templates:\n    watched: \"second {{1}}\"\n    added: \"new\"\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> "second {{1}}".equals(live.templates().get("watched"))
                    && live.templates().containsKey("added"));

            Files.writeString(file, "mehery:\n  channels:\n    stray:\n      tenant: nobody\n      type: DUMMY\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> gateway.api().get("/api/v1/admin/config/versions",
                    ADMIN_KEY).json().get("results").get(0).get("outcome").asText()
                    .equals("refused"));
            assertThat(live.channels()).doesNotContainKey("stray");
            assertThat(live.templates()).containsKey("added");
        }
    }
}
