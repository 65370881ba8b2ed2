package io.mehery.gateway.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.UnaryOperator;


import org.junit.jupiter.api.Test;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.RawHttp;
import io.mehery.gateway.channel.Providers;

/**
 * A seeded mutation run over every JSON endpoint and every provider parser (signed, so the mutations reach the
 * parser; the seeds below and {@link #SEED} are the corpus): whatever arrives, the answer is never a 5xx nor a
 * stack trace, and every request is answered.
 */
class MutatedInputTest extends GatewayTestSupport {

    private static final long SEED = 20261124L;
    private static final int MUTANTS_PER_SEED = 150;
    private static final String QUERY_SIGNIFICANT = "%&=+;#?/:[]@!$'()*,%2%zz\u00e9\u0001\u007f\\";
    private static final String HEADER_SIGNIFICANT = ":;,=\"%\t \u00e9\u0000\u0001\u007f\\";
    private static final String SIGNIFICANT = "{}[]\":,.-+0123456789eEtruefalsnl \\\u0000\u00e9\ud83d\ude00";

    @Test
    void clientEndpointsAnswerEveryMutantWithoutServerErrors() {
        List<String> failures = new ArrayList<>();
        fuzz("/api/v1/message/send", Api.DEMO_KEY, """
                {"channelId":"sandbox","to":{"phone":"+15550101","name":"Ann"},"type":"image","mask":true,
                 "image":{"link":"https://cdn.example.com/p.png","caption":"c"},"template":{"id":"t","data":{"1":"x"}},
                 "contacts":[{"name":{"formatted_name":"A"},"phones":[{"phone":"+1","type":"HOME"}]}],
                 "location":{"latitude":"1.5","longitude":"2"}}""", failures);
        fuzz("/api/v1/event/push", Api.DEMO_KEY, """
                {"eventName":"cart.add","id":"ev-1","links":[{"linkName":"sku","linkType":"product","linkValue":"A1"}]}""",
                failures);
        fuzz("/api/v1/config/webhook", "wa-key", "{\"url\":\"https://203.0.113.10/hooks\"}", failures);
        fuzz("/webhooks/dummy/sandbox", Api.DEMO_KEY, """
                {"id":"x","from":"+15550101","name":"Ann","type":"location","location":{"latitude":"1","longitude":"2"},
                 "text":{"body":"hi"},"action":{"actionCode":"A"}}""", failures);
        assertThat(failures).isEmpty();
    }

    @Test
    void providerParsersAnswerEverySignedMutantWithoutServerErrors() {
        List<String> failures = new ArrayList<>();
        String whatsApp = Providers.fixture("whatsapp/every-kind.json").replace("${uid}", UUID.randomUUID().toString());
        fuzzSigned("/webhooks/whatsapp/wa-whatsapp", "X-Hub-Signature-256", whatsApp,
                body -> Providers.metaSignature("wa-app-secret", body), failures);
        fuzzSigned("/webhooks/facebook/fb-page", "X-Hub-Signature-256", """
                {"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"99"},"recipient":{"id":"1"},
                 "timestamp":1,"message":{"mid":"m1","text":"hi","attachments":[{"type":"location","payload":
                 {"coordinates":{"lat":1,"long":2}}}],"quick_reply":{"payload":"Q"}}},{"sender":{"id":"99"},
                 "recipient":{"id":"1"},"timestamp":2,"read":{"watermark":5}}]}]}""",
                body -> Providers.metaSignature("fb-app-secret", body), failures);
        fuzzSigned("/webhooks/telegram/tg-telegram", "X-Telegram-Bot-Api-Secret-Token", """
                {"update_id":5,"message":{"message_id":1,"from":{"id":9,"first_name":"A"},"chat":{"id":9},"date":1,
                 "photo":[{"file_id":"a"},{"file_id":"b"}],"caption":"c"},"callback_query":{"id":"q","data":"D",
                 "from":{"id":9},"message":{"chat":{"id":9}}}}""", body -> "tg-secret-token", failures);
        fuzzTwilio(failures);
        assertThat(failures).isEmpty();
    }

    /**
     * The query string and the headers, mutated byte by byte and sent as they are over a plain socket (a well-behaved
     * client would refuse to send most of them): the server may refuse them, never fail on them.
     */
    @Test
    void queryStringsAndHeadersAnswerEveryMutantWithoutServerErrors() {
        List<String> failures = new ArrayList<>();
        Random random = new Random(SEED ^ "query-and-headers".hashCode());
        String query = "sessionId=00000000-0000-0000-0000-000000000000&limit=10";
        String[] headers = {"x-api-key: " + Api.DEMO_KEY, "Accept: application/json", "X-Trace-Id: abcdef0123456789",
                "Content-Type: application/json"};
        for (int i = 0; i < MUTANTS_PER_SEED * 2; i++) {
            String[] sent = headers.clone();
            String path = "/api/v1/session/messages?" + query;
            if (i % 2 == 0) {
                path = "/api/v1/session/messages?" + mutate(query, random, QUERY_SIGNIFICANT);
            } else {
                int h = random.nextInt(sent.length);
                sent[h] = mutate(sent[h], random, HEADER_SIGNIFICANT);
            }
            try (RawHttp client = RawHttp.connect(port())) {
                var answer = client.write(RawHttp.get(path, sent)).read();
                if (answer == null || (answer.status() >= 500 && answer.status() != 503)
                        || answer.body().contains("Exception") || answer.body().contains("\tat ")) {
                    failures.add(abbreviate(path + " " + String.join(" | ", sent)) + " -> "
                            + (answer == null ? "no answer" : answer.status() + " " + abbreviate(answer.body())));
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /** Twilio posts a form: its values are mutated (a count that is no number, a field gone), then signed. */
    private void fuzzTwilio(List<String> failures) {
        Map<String, String> seed = new LinkedHashMap<>();
        String[] pairs = {"MessageSid", "SM0123", "From", "+15557654321", "To", "+15550003333", "Body", "hi",
                "NumMedia", "1", "MediaUrl0", "https://api.twilio.com/Media/ME1", "MediaContentType0", "image/jpeg",
                "MessageStatus", "delivered", "ErrorCode", "30003"};
        for (int i = 0; i < pairs.length; i += 2) {
            seed.put(pairs[i], pairs[i + 1]);
        }
        List<String> names = List.copyOf(seed.keySet());
        Random random = new Random(SEED ^ "twilio".hashCode());
        for (int i = 0; i < MUTANTS_PER_SEED; i++) {
            Map<String, String> form = new LinkedHashMap<>(seed);
            form.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(4) == 0) {
                form.remove(name);
            } else {
                form.put(name, mutate(form.getOrDefault(name, "x") + "\"1\"", random));
            }
            var reply = Providers.twilio(api, "/webhooks/sms/tw-sms", "tw-auth-token",
                    "https://gateway.example.com/webhooks/sms/tw-sms", form);
            check("/webhooks/sms/tw-sms", reply, Providers.formOf(form), failures);
        }
    }

    private void fuzz(String path, String key, String seed, List<String> failures) {
        Random random = new Random(SEED ^ path.hashCode());
        for (int i = 0; i < MUTANTS_PER_SEED; i++) {
            String mutant = mutate(seed, random);
            check(path, api.post(path, key, mutant), mutant, failures);
        }
    }

    private void fuzzSigned(String path, String header, String seed, UnaryOperator<String> signer,
            List<String> failures) {
        Random random = new Random(SEED ^ path.hashCode());
        for (int i = 0; i < MUTANTS_PER_SEED; i++) {
            String mutant = mutate(seed, random);
            var reply = api.send(api.request(path, null).header("Content-Type", "application/json")
                    .header(header, signer.apply(mutant)).POST(HttpRequest.BodyPublishers.ofString(mutant)));
            check(path, reply, mutant, failures);
        }
    }

    private static void check(String path, Api.Reply reply, String mutant, List<String> failures) {
        boolean serverError = reply.status() >= 500 && reply.status() != 503;
        boolean leaks = reply.body().contains("Exception") || reply.body().contains("\tat ");
        if (serverError || leaks) {
            failures.add(path + " -> " + reply.status() + " " + abbreviate(reply.body()) + " for "
                    + abbreviate(mutant));
        }
    }

    /** One to three edits: a significant character put in, a range dropped or doubled, a value's type swapped. */
    static String mutate(String seed, Random random) {
        return mutate(seed, random, SIGNIFICANT);
    }

    static String mutate(String seed, Random random, String significant) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && s.length() > 2; e++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(5)) {
                case 0 -> s.insert(at, significant.charAt(random.nextInt(significant.length())));
                case 1 -> s.setCharAt(at, significant.charAt(random.nextInt(significant.length())));
                case 2 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(12)));
                case 3 -> s.insert(at, s.substring(at, Math.min(s.length(), at + 1 + random.nextInt(30))));
                default -> {
                    int quote = s.indexOf("\"", at);
                    if (quote > 0) {
                        int end = s.indexOf("\"", quote + 1);
                        if (end > quote) {
                            String[] swaps = {"123", "[]", "{}", "null", "true", "-1e309", "\"\""};
                            s.replace(quote, end + 1, swaps[random.nextInt(swaps.length)]);
                        }
                    }
                }
            }
        }
        return s.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
