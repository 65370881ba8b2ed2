package io.mehery.gateway.tags;

import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.WebhookReceiver;

/**
 * The tags a client's callback carries for an inbound message, the same in the session's history: languages,
 * sentiment, places, people and organisations (from the team's NLP service, a WireMock stub here), and the
 * categories of the configuration's rules; none for a tenant that turned them off.
 */
class MessageTagsTest extends GatewayTestSupport {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final WebhookReceiver RECEIVER = new WebhookReceiver();

    @BeforeEach
    void stubs() {
        for (String tenant : List.of("tagged", "untagged")) {
            RECEIVER.answerAll(tenant, WireMock.aResponse().withStatus(200).withBody("{}"));
            api.post("/api/v1/config/webhook", tenant + "-key", "{\"url\":\"" + RECEIVER.baseUrl(tenant) + "\"}");
        }
        PROVIDERS.stubFor(WireMock.post("/nlp/entities").atPriority(9).willReturn(WireMock.okJson(
                "{\"persons\":[],\"organizations\":[]}")));
        PROVIDERS.stubFor(WireMock.post("/nlp/entities").atPriority(1)
                .withRequestBody(WireMock.matchingJsonPath("$.text", WireMock.containing("Lufthansa")))
                .willReturn(WireMock.okJson("{\"persons\":[\"Maria\"],\"organizations\":[\"Lufthansa\"]}")));
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void aDisappointedFrenchCustomersCallbackIsFrenchNegativeAndCategorised() {
        JsonNode tags = callbackTags("tagged", "Je voudrais annuler ma commande, c'est vraiment décevant");
        assertThat(strings(tags.get("langs"))).containsExactly("fr");
        assertThat(strings(tags.get("sentiments"))).containsExactly("negative");
        assertThat(tags.get("sentimentScore").asInt()).isNegative();
        assertThat(strings(tags.get("categories"))).containsExactlyInAnyOrder("refund", "unhappy", "french-desk");
    }

    @Test
    void aTravellersCallbackNamesCitiesCountriesTheAirlineAndThePersonAndTheHistoryShowsTheSame() {
        String text = "Flying from Lisbon to Berlin with Lufthansa, thanks Maria!";
        JsonNode accepted = api.sandboxText("tagged-sandbox", "tagged-key", uniquePhone(), text);
        JsonNode tags = awaitCallbackTags("tagged", text);
        assertThat(strings(tags.get("langs"))).containsExactly("en");
        assertThat(strings(tags.get("cities"))).containsExactly("Lisbon", "Berlin");
        assertThat(strings(tags.get("countries"))).containsExactly("Portugal", "Germany");
        assertThat(strings(tags.get("organizations"))).containsExactly("Lufthansa");
        assertThat(strings(tags.get("persons"))).containsExactly("Maria");
        assertThat(strings(tags.get("sentiments"))).containsExactly("positive");
        // the tenant's own category, beside every tenant's (none of which match)
        assertThat(strings(tags.get("categories"))).containsExactly("travel");

        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode history = api.get("/api/v1/session/messages?sessionId=" + accepted.get("sessionId").asText(),
                    "tagged-key").json().get("results");
            assertThat(history.get(history.size() - 1).get("tags")).isEqualTo(tags);
        });
    }

    @Test
    void whenTheEntitiesServiceFailsTheCallbackGoesWithTheHeuristicsNames() {
        PROVIDERS.stubFor(WireMock.post("/nlp/entities").atPriority(1)
                .withRequestBody(WireMock.matchingJsonPath("$.text", WireMock.containing("Pedro")))
                .willReturn(WireMock.aResponse().withStatus(503)));
        JsonNode tags = callbackTags("tagged", "Obrigado Pedro, a entrega em Lisboa foi muito rápida");
        assertThat(strings(tags.get("persons"))).containsExactly("Pedro");
        assertThat(strings(tags.get("cities"))).containsExactly("Lisbon");
        assertThat(strings(tags.get("langs"))).containsExactly("pt");
    }

    @Test
    void aTenantThatTurnedTagsOffGetsThemEmpty() {
        JsonNode tags = callbackTags("untagged", "Je voudrais annuler ma commande, c'est vraiment décevant");
        assertThat(tags.get("langs")).isEmpty();
        assertThat(tags.get("sentiments")).isEmpty();
        assertThat(tags.get("categories")).isEmpty();
    }

    private JsonNode callbackTags(String tenant, String text) {
        api.sandboxText(tenant + "-sandbox", tenant + "-key", uniquePhone(), text);
        return awaitCallbackTags(tenant, text);
    }

    private JsonNode awaitCallbackTags(String tenant, String text) {
        await().atMost(PATIENCE).until(() -> callbackOf(tenant, text) != null);
        return callbackOf(tenant, text).at("/messages/0/tags");
    }

    private static JsonNode callbackOf(String tenant, String text) {
        for (var request : RECEIVER.received(tenant, MESSAGE_RECEIVE)) {
            JsonNode body = WebhookReceiver.json(request);
            if (text.equals(body.at("/messages/0/text/body").asText())) {
                return body;
            }
        }
        return null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> found = new ArrayList<>();
        array.forEach(item -> found.add(item.asText()));
        return found;
    }
}
