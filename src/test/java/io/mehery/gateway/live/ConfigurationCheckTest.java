package io.mehery.gateway.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate <dir>} as a CI pipeline runs it: the project's own folder passes, a broken one names file and line. */
class ConfigurationCheckTest {

    @TempDir
    Path dir;

    @Test
    void theProjectsOwnConfigurationAndRoutesAreValid() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = ConfigurationCheck.run(Path.of("."), List.of("demo"), new PrintStream(out, true,
                StandardCharsets.UTF_8));
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("valid: .");
    }

    @Test
    void everyProblemIsNamedWithItsFileAndLine() throws IOException {
        Files.writeString(dir.resolve("application.yaml"), """
                mehery:
                  tenants:
                    acme:
                      api-key: acme-key
                  channels:
                    acme-web:
                      tenant: nobody
                      type: WEBSITE
                """);
        Files.createDirectories(dir.resolve("routes"));
        Files.writeString(dir.resolve("routes/broken.yaml"), """
                - route:
                    id: broken
                    from:
                      uri: direct:broken
                      steps:
                        - noSuchStep:
                            name: x
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = ConfigurationCheck.run(dir, List.of(), new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);

        assertThat(exit).isEqualTo(1);
        assertThat(printed).as(printed).contains("application.yaml:4: mehery.tenants.acme.verify-token is required")
                .contains("application.yaml:7: mehery.channels.acme-web.tenant names no configured tenant")
                .contains("application.yaml:7: mehery.channels.acme-web.identity-secret is required")
                .containsPattern("routes/broken.yaml:\\d+: .*noSuchStep");
    }
}
