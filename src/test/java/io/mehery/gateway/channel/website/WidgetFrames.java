package io.mehery.gateway.channel.website;

import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What the gateway pushed to a chat widget's socket, frame by frame. */
public final class WidgetFrames implements WebSocket.Listener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    volatile int closedWith = -1;

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                received.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            partial.setLength(0);
        }
        socket.request(1);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
        closedWith = statusCode;
        return CompletableFuture.completedFuture(null);
    }

    public List<JsonNode> ofType(String type) {
        return received.stream().filter(f -> f.path("type").asText().equals(type)).toList();
    }

    public List<JsonNode> all() {
        return List.copyOf(received);
    }
}
