package io.mehery.gateway.channel.website;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Envelopes;
import io.mehery.gateway.api.model.InboundReceipt;
import io.mehery.gateway.channel.website.VisitorTokens.Issued;
import io.mehery.gateway.channel.website.VisitorTokens.Visitor;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.conversation.Accepted;
import io.mehery.gateway.logging.TraceIds;

/**
 * A widget's live socket, {@code /webhooks/website/{channelId}/live}. The handshake is refused unless the page's
 * origin may use the channel (403) and the channel is a website channel (404). The socket then proves its visitor
 * with its first frame, {@code {"type": "hello", "token": ...}}, within {@link #HELLO_WITHIN_SECONDS} (a token in
 * the URL would end up in access logs); after that it takes what the HTTP API takes:
 * {@code {"type": "message", ...}} as POST /webhooks/website/{channelId}, answered {@code accepted} or
 * {@code error}, and {@code {"type": "receipt", ...}} as POST .../receipts. The gateway pushes
 * {@code {"type": "message", "message": ...}} for each message of the conversation as it is stored or sent.
 */
@Component
public class WebchatSocketHandler extends TextWebSocketHandler implements HandshakeInterceptor, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(WebchatSocketHandler.class);
    static final int HELLO_WITHIN_SECONDS = 10;
    /** Close codes of the application's range (4000-4999), as the widget reads them. */
    static final CloseStatus INVALID_TOKEN = new CloseStatus(4401, "A visitor token of this channel is needed");
    private static final String CHANNEL_ID = "channelId";
    private static final String VISITOR = "visitor";
    private static final String SHARED = "shared";
    private static final String TOKEN = "token";
    private static final String EXPIRY = "expiry";
    private static final int MAX_FRAME = 16 * 1024;

    private final WebchatOrigins origins;
    private final VisitorTokens tokens;
    private final WebsiteInbound inbound;
    private final WebchatSockets sockets;
    private final ObjectMapper json;
    /** The hello deadline of each new socket and the token expiry of each open one; a closed socket's is dropped. */
    private final ScheduledThreadPoolExecutor deadlines = deadlineExecutor();

    public WebchatSocketHandler(WebchatOrigins origins, VisitorTokens tokens, WebsiteInbound inbound,
            WebchatSockets sockets, ObjectMapper json) {
        this.origins = origins;
        this.tokens = tokens;
        this.inbound = inbound;
        this.sockets = sockets;
        this.json = json;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
            WebSocketHandler handler, Map<String, Object> attributes) {
        URI uri = request.getURI();
        var channel = origins.channelOf(uri.getRawPath());
        if (channel.isEmpty()) {
            response.setStatusCode(HttpStatus.NOT_FOUND);
            return false;
        }
        if (!origins.allows(channel.get(), request.getHeaders().getOrigin(),
                request.getHeaders().getFirst(HttpHeaders.HOST))) {
            response.setStatusCode(HttpStatus.FORBIDDEN);
            return false;
        }
        attributes.put(CHANNEL_ID, uri.getRawPath().split("/")[3]);
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception failure) {
        // nothing to add: the socket proves its visitor with its first frame
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        session.setTextMessageSizeLimit(MAX_FRAME);
        deadlines.schedule(() -> {
            if (session.isOpen() && !session.getAttributes().containsKey(VISITOR)) {
                WebchatSockets.close(session, INVALID_TOKEN);
            }
        }, HELLO_WITHIN_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        MDC.put(TraceIds.MDC_KEY, TraceIds.adopt(null));
        try {
            JsonNode frame = json.readTree(message.getPayload());
            Visitor visitor = (Visitor) session.getAttributes().get(VISITOR);
            if (visitor == null) {
                hello(session, frame);
                return;
            }
            WebSocketSession shared = (WebSocketSession) session.getAttributes().get(SHARED);
            if (!stillValid(session)) {
                WebchatSockets.close(session, INVALID_TOKEN);
                return;
            }
            switch (frame.path("type").asText()) {
                case "message" -> answer(shared, frame, () -> inbound.store(visitor, sourceOf(session), frame));
                case "receipt" -> answer(shared, frame, () -> inbound.receipts(visitor, frame));
                case "ping" -> sockets.send(shared, Map.of("type", "pong"));
                default -> sockets.send(shared, error(frame, ApiException.badRequest("INVALID_FIELD", "type",
                        "A frame's type is message, receipt or ping")));
            }
        } catch (IOException notJson) {
            WebchatSockets.close(session, CloseStatus.NOT_ACCEPTABLE.withReason("Frames are JSON"));
        } finally {
            MDC.remove(TraceIds.MDC_KEY);
        }
    }

    private void hello(WebSocketSession session, JsonNode frame) {
        String channelId = (String) session.getAttributes().get(CHANNEL_ID);
        Channel channel = origins.channelOf("/webhooks/website/" + channelId).orElse(null);
        var issued = channel == null || !"hello".equals(frame.path("type").asText()) ? Optional.<Issued>empty()
                : tokens.readIssued(channelId, channel, frame.path("token").asText(null));
        if (issued.isEmpty()) {
            WebchatSockets.close(session, INVALID_TOKEN);
            return;
        }
        session.getAttributes().put(VISITOR, issued.get().visitor());
        session.getAttributes().put(TOKEN, issued.get().token());
        WebSocketSession shared = sockets.join(issued.get().visitor(), session);
        session.getAttributes().put(SHARED, shared);
        // an idle socket ends with its token; one in use is checked at every frame (WebchatSockets closes a
        // channel's sockets when its identity secret changes)
        session.getAttributes().put(EXPIRY, deadlines.schedule(() -> WebchatSockets.close(session, INVALID_TOKEN),
                Math.max(0, issued.get().expiresAt() - System.currentTimeMillis()), TimeUnit.MILLISECONDS));
        sockets.send(shared, Map.of("type", "ready"));
    }

    private static String sourceOf(WebSocketSession session) {
        return session.getRemoteAddress() == null ? "unknown" : session.getRemoteAddress().getAddress()
                .getHostAddress();
    }

    /** The socket's token still holds: unexpired, and signed with the channel's identity secret as it is now. */
    private boolean stillValid(WebSocketSession session) {
        String channelId = (String) session.getAttributes().get(CHANNEL_ID);
        Channel channel = origins.channelOf("/webhooks/website/" + channelId).orElse(null);
        return channel != null && tokens.read(channelId, channel, (String) session.getAttributes().get(TOKEN))
                .isPresent();
    }

    /** Runs what the frame asks and answers {@code accepted} (with the message id) or {@code error}. */
    private void answer(WebSocketSession session, JsonNode frame, Supplier<Accepted> work) {
        try {
            Accepted accepted = work.get();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("type", "accepted");
            answer.put("clientId", frame.path("clientId").asText(null));
            if (accepted.receipt() instanceof InboundReceipt receipt) {
                answer.put("id", receipt.id());
            }
            sockets.send(session, answer);
        } catch (RuntimeException failed) {
            ApiException failure = Envelopes.classify(failed);
            if (failure.status() >= 500) {
                LOG.warn("A chat widget's frame failed: {}", failure.problems().get(0).code());
            }
            sockets.send(session, error(frame, failure));
        }
    }

    private static Map<String, Object> error(JsonNode frame, ApiException failure) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", "error");
        error.put("clientId", frame.path("clientId").asText(null));
        error.put("status", failure.status());
        error.put("errors", failure.problems());
        return error;
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        // a token lives for weeks: its expiry task would otherwise keep the closed session until then
        if (session.getAttributes().get(EXPIRY) instanceof ScheduledFuture<?> expiry) {
            expiry.cancel(false);
        }
        Visitor visitor = (Visitor) session.getAttributes().get(VISITOR);
        if (visitor != null) {
            sockets.leave(visitor, session);
        }
    }

    private static ScheduledThreadPoolExecutor deadlineExecutor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "webchat-socket-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    @Override
    public void destroy() {
        deadlines.shutdownNow();
    }
}
