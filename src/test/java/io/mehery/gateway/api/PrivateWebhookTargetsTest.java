package io.mehery.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mehery.gateway.Api;
import io.mehery.gateway.StandaloneGateway;

/** With the shipped default (mehery.webhooks.allow-private-targets=false), no webhook may point inside the network. */
class PrivateWebhookTargetsTest {

    @TempDir
    static Path dataDir;

    static StandaloneGateway gateway;

    @BeforeAll
    static void start() {
        gateway = StandaloneGateway.start(dataDir);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void refusesTargetsInsideTheNetwork() {
        Api api = gateway.api();
        for (String url : List.of("http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook",
                "http://192.168.0.10/", "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data",
                "http://[::1]/hook", "http://[fd00::1]/hook", "http://0.0.0.0/", "http://100.64.0.1/")) {
            var reply = api.post("/api/v1/config/webhook", Api.DEMO_KEY, "{\"url\":\"" + url + "\"}");

            assertThat(reply.status()).as(url).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("INVALID_WEBHOOK_URL");
            assertThat(reply.errorFields()).containsExactly("url");
        }
        assertThat(api.post("/api/v1/config/webhook", Api.DEMO_KEY, "{\"url\":\"https://203.0.113.10/hooks\"}")
                .status()).isEqualTo(200);
    }
}
