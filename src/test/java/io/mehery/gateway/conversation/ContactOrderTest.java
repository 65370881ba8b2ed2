package io.mehery.gateway.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.mehery.gateway.WebhookReceiver;
import io.mehery.gateway.channel.ChannelTestSupport;
import io.mehery.gateway.store.DeliveryStore;

/**
 * A contact's messages reach the provider, and its callbacks the webhook, in the order they were accepted, though
 * several consumers take the queues' work at once: when the first fails and waits for its retry, the later ones of
 * that contact wait behind it.
 */
class ContactOrderTest extends ChannelTestSupport {

    private static final String MESSAGES_PATH = "/v21.0/106540352242922/messages";
    private static final Duration RETRIES = Duration.ofSeconds(30);

    @Autowired
    private DeliveryStore deliveries;

    @Test
    void messagesToOneContactReachTheProviderInTheOrderTheyWereAccepted() {
        String phone = "+1631555" + String.format("%04d", System.nanoTime() % 10_000);
        String scenario = "order " + phone;
        var toPhone = matchingJsonPath("$.to", equalTo(phone));
        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES_PATH)).withRequestBody(toPhone).inScenario(scenario)
                .whenScenarioStateIs(STARTED).willSetStateTo("up").willReturn(aResponse().withStatus(503)));
        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES_PATH)).withRequestBody(toPhone).inScenario(scenario)
                .whenScenarioStateIs("up").willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withTransformers("response-template")
                        .withBody("{\"messages\":[{\"id\":\"wamid.{{randomValue length=24}}\"}]}")));

        List<String> texts = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            String text = "in order " + n;
            var sent = api.post("/api/v1/message/send", TENANT_KEY, "{\"channelId\":\"wa-whatsapp\",\"to\":"
                    + "{\"phone\":\"" + phone + "\"},\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}");
            assertThat(sent.status()).as(sent.body()).isEqualTo(200);
            texts.add(text);
        }

        await().atMost(RETRIES).until(() -> providerCalls(phone).size() == 6);
        List<String> expected = new ArrayList<>(List.of(texts.get(0)));
        expected.addAll(texts);
        assertThat(providerCalls(phone)).as("the first failed once; the others waited behind its retry")
                .isEqualTo(expected);
    }

    @Test
    void callbacksOfOneContactReachTheWebhookInTheOrderTheyWerePlanned() {
        receiver.answerAll("ordered", aResponse().withStatus(200));
        receiver.failThenSucceed("ordered", MESSAGE_RECEIVE, 1, aResponse().withStatus(503));
        assertThat(api.post("/api/v1/config/webhook", "ordered-key", "{\"url\":\"" + receiver.baseUrl("ordered")
                + "\"}").status()).isEqualTo(200);

        List<String> texts = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            String text = "callback in order " + n;
            api.sandboxText("ordered-sandbox", "ordered-key", "+15557770001", text);
            texts.add(text);
        }

        await().atMost(RETRIES).until(() -> delivered("callback in order ").size() == 6);
        List<String> expected = new ArrayList<>(List.of(texts.get(0)));
        expected.addAll(texts);
        assertThat(delivered("callback in order ")).as("the first failed once; the others waited behind its retry")
                .isEqualTo(expected);
    }

    @Test
    void aBurstOverManyContactsDrainsWithEachContactsCallbacksInOrder() throws Exception {
        receiver.answerAll("ordered", aResponse().withStatus(200));
        assertThat(api.post("/api/v1/config/webhook", "ordered-key", "{\"url\":\"" + receiver.baseUrl("ordered")
                + "\"}").status()).isEqualTo(200);
        String burst = "burst " + System.nanoTime() + " ";
        int contacts = 20;
        int each = 10;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> posted = new ArrayList<>();
            for (int c = 0; c < contacts; c++) {
                String phone = "+1555888" + String.format("%04d", c);
                int contact = c;
                posted.add(pool.submit(() -> {
                    for (int n = 1; n <= each; n++) {
                        api.sandboxText("ordered-sandbox", "ordered-key", phone, burst + contact + "/" + n);
                    }
                }));
            }
            for (var future : posted) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }

        await().atMost(RETRIES).until(() -> delivered(burst).size() == contacts * each);
        for (int c = 0; c < contacts; c++) {
            String prefix = burst + c + "/";
            List<String> ofContact = delivered(prefix);
            List<String> planned = new ArrayList<>();
            for (int n = 1; n <= each; n++) {
                planned.add(prefix + n);
            }
            assertThat(ofContact).as("contact " + c).isEqualTo(planned);
        }
    }

    /**
     * A backlog that built up while the tenant had no webhook drains, once one is set, with each contact's callbacks
     * in the order they were planned, though eight consumers and many calls under way take the work at once. Setting
     * the webhook queues one order for each contact (its first callback, which sends on the others), none that would
     * be taken from the queue only to be dropped.
     */
    @Test
    void aBacklogDrainsWithEachContactsCallbacksInOrderThoughManyTakeItAtOnce() {
        String backlog = "backlog " + System.nanoTime() + " ";
        int contacts = 25;
        int each = 8;
        for (int n = 1; n <= each; n++) {
            for (int c = 0; c < contacts; c++) {
                api.sandboxText("backlog-sandbox", "backlog-key", "+1555999" + String.format("%04d", c),
                        backlog + c + "/" + n);
            }
        }
        receiver.answerAll("backlog", aResponse().withStatus(200));
        await().atMost(RETRIES)
                .until(() -> deliveries.waitingHeads("backlog", Long.MIN_VALUE, 1000).size() == contacts);
        assertThat(api.post("/api/v1/config/webhook", "backlog-key", "{\"url\":\"" + receiver.baseUrl("backlog")
                + "\"}").status()).isEqualTo(200);

        await().atMost(RETRIES).until(() -> delivered("backlog", backlog).size() == contacts * each);
        for (int c = 0; c < contacts; c++) {
            String prefix = backlog + c + "/";
            List<String> planned = new ArrayList<>();
            for (int n = 1; n <= each; n++) {
                planned.add(prefix + n);
            }
            assertThat(delivered("backlog", prefix)).as("contact " + c).isEqualTo(planned);
        }
    }

    private List<String> providerCalls(String phone) {
        return PROVIDERS.findAll(postRequestedFor(urlEqualTo(MESSAGES_PATH))
                .withRequestBody(matchingJsonPath("$.to", equalTo(phone)))).stream()
                .map(r -> WebhookReceiver.json(r).at("/text/body").asText()).toList();
    }

    /** The texts of the message/receive callbacks tenant "ordered" got that begin so, in the order they came. */
    private List<String> delivered(String prefix) {
        return delivered("ordered", prefix);
    }

    private List<String> delivered(String tenant, String prefix) {
        return receiver.received(tenant, MESSAGE_RECEIVE).stream().map(r -> WebhookReceiver.json(r)
                .at("/messages/0/text/body").asText()).filter(text -> text.startsWith(prefix)).toList();
    }
}
