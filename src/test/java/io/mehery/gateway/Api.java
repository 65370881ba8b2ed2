package io.mehery.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A caller of the gateway over real HTTP, as a client application or a provider would be. */
public final class Api {

    public static final String DEMO_KEY = "demo-key";
    public static final String ACME_KEY = "acme-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final int port;
    private final String base;

    public Api(int port) {
        this.port = port;
        this.base = "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Reply post(String path, String apiKey, String json) {
        return send(request(path, apiKey).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST with an {@code Idempotency-Key}: sent twice, the second answers the first's answer. */
    public Reply postOnce(String path, String apiKey, String idempotencyKey, String json) {
        return send(request(path, apiKey).header("content-type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply get(String path, String apiKey) {
        return send(request(path, apiKey).GET());
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        return request;
    }

    /** Sends a text from a sandbox user; answers the receipt's data. */
    public JsonNode sandboxText(String channelId, String apiKey, String from, String body) {
        Reply reply = post("/webhooks/dummy/" + channelId, apiKey,
                "{\"from\":\"" + from + "\",\"name\":\"Ann\",\"type\":\"text\",\"text\":{\"body\":\"" + body + "\"}}");
        if (reply.status() != 200) {
            throw new AssertionError("sandbox message refused: " + reply.body());
        }
        return reply.json().get("data");
    }

    public record Reply(int status, String body, HttpResponse<String> response) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public JsonNode data() {
            return json().get("data");
        }

        /** The {@code field} of every entry of {@code errors[]}. */
        public List<String> errorFields() {
            List<String> fields = new ArrayList<>();
            json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
            return fields;
        }

        public String errorCode() {
            return json().get("errors").get(0).get("code").asText();
        }
    }
}
