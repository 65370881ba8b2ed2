package io.mehery.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.logging.TraceIds;

@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest extends GatewayTestSupport {

    @Test
    void healthCoversTheDatabaseAndTheBrokerAndShowsThemOnlyToTheOperator() {
        var operator = api.get("/actuator/health", "demo-admin-key");
        var anyone = api.get("/actuator/health", null);
        var tenant = api.get("/actuator/health", Api.DEMO_KEY);

        assertThat(operator.status()).isEqualTo(200);
        assertThat(operator.json().get("status").asText()).isEqualTo("UP");
        assertThat(operator.json().at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(operator.json().at("/components/jms/status").asText()).isEqualTo("UP");
        for (var stranger : java.util.List.of(anyone, tenant)) {
            assertThat(stranger.status()).isEqualTo(200);
            assertThat(stranger.json().get("status").asText()).isEqualTo("UP");
            assertThat(stranger.json().has("components")).isFalse();
            assertThat(stranger.body()).doesNotContain("data").doesNotContain("version");
        }
    }

    @Test
    void prometheusShowsCamelRouteMetrics() {
        api.sandboxText("sandbox", Api.DEMO_KEY, uniquePhone(), "count me");

        var metrics = api.get("/actuator/prometheus", null);

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("camel_exchanges_total", "routeId=\"inbound-dummy\"");
    }

    @Test
    void theOperatorSeesEveryRouteWithItsStatisticsAndEveryChannelWithItsProviderCalls() {
        api.sandboxText("sandbox", Api.DEMO_KEY, uniquePhone(), "count me too");

        var routes = api.get("/api/v1/admin/routes", "demo-admin-key");
        assertThat(routes.status()).as(routes.body()).isEqualTo(200);
        JsonNode inbound = withId(routes.json().get("results"), "inbound-dummy");
        assertThat(inbound.get("state").asText()).isEqualTo("Started");
        assertThat(inbound.get("from").asText()).isEqualTo("direct://receiveSandboxMessage");
        assertThat(inbound.get("source").asText()).contains("channel-dummy.yaml");
        assertThat(inbound.get("exchanges").asLong()).isPositive();
        assertThat(inbound.get("meanMillis").asDouble()).isPositive();

        var channels = api.get("/api/v1/admin/channels", "demo-admin-key");
        assertThat(channels.status()).as(channels.body()).isEqualTo(200);
        JsonNode whatsapp = withId(channels.json().get("results"), "wa-whatsapp");
        assertThat(whatsapp.get("type").asText()).isEqualTo("WHATSAPP");
        assertThat(whatsapp.get("tenant").asText()).isEqualTo("wa");
        assertThat(whatsapp.get("providerCalls").isObject()).isTrue();
        assertThat(channels.body()).as("no credential of any channel").doesNotContain("wa-access-token");

        assertThat(api.get("/api/v1/admin/routes", Api.DEMO_KEY).status()).as("a tenant's key").isEqualTo(403);
        assertThat(api.get("/api/v1/admin/channels", null).status()).isEqualTo(401);
    }

    private static JsonNode withId(JsonNode results, String id) {
        for (JsonNode result : results) {
            if (result.get("id").asText().equals(id)) {
                return result;
            }
        }
        throw new AssertionError("no '" + id + "' among " + results.size() + " results");
    }

    @Test
    void theTraceIdOfAResponseIsOnItsLogLinesAndCarriedThroughTheQueue(CapturedOutput log) {
        var reply = api.post("/api/v1/message/send", Api.DEMO_KEY, "{\"channelId\":\"sandbox\",\"to\":{\"phone\":\""
                + uniquePhone() + "\"},\"type\":\"text\",\"text\":{\"body\":\"traced\"}}");
        String traceId = reply.json().get("traceid").asText();

        assertThat(reply.response().headers().firstValue(TraceIds.HEADER)).contains(traceId);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.getOut())
                .containsPattern("traceid=" + traceId + "\\].*" + reply.data().get("id").asText()));
    }

    @Test
    void aCallersOwnTraceIdIsAdopted() {
        var reply = api.send(api.request("/api/v1/session/messages?sessionId=unknown", Api.DEMO_KEY)
                .header(TraceIds.HEADER, "caller-trace-0042").GET());

        assertThat(reply.json().get("traceid").asText()).isEqualTo("caller-trace-0042");
        assertThat(reply.response().headers().firstValue(TraceIds.HEADER)).contains("caller-trace-0042");
    }
}
