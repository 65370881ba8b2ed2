package io.mehery.gateway.channel.website;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.broker.ClusterBroadcasts;
import io.mehery.gateway.channel.website.VisitorTokens.Visitor;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.config.MeheryProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The widgets connected to this instance, by visitor (a visitor may have several tabs open). A frame is pushed to
 * each of them; a socket that cannot take it within {@link #SEND_TIME_LIMIT_MILLIS} or lets
 * {@link #BUFFER_LIMIT_BYTES} pile up is closed, so one slow phone never holds a send. A frame goes to the other
 * instances too (the webchat topic), whichever holds the visitor's socket; a visitor connected to none, or whose
 * instance missed the word, reads what it missed from the store (its widget asks at every visit and while polling).
 */
@Component
public class WebchatSockets implements LiveConfiguration.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(WebchatSockets.class);
    static final int SEND_TIME_LIMIT_MILLIS = 5_000;
    static final int BUFFER_LIMIT_BYTES = 512 * 1024;

    private final Map<String, Set<WebSocketSession>> byVisitor = new ConcurrentHashMap<>();
    /** The headers of a pushed frame: whose widgets it is for. */
    static final String CHANNEL = "meheryChannelId";
    static final String ADDRESS = "meheryVisitor";

    private final ObjectMapper json;
    private final ClusterBroadcasts broadcasts;
    private final String webchatTopic;

    public WebchatSockets(ObjectMapper json, MeterRegistry meters, ClusterBroadcasts broadcasts,
            @Value("${mehery.cluster.webchat-topic}") String webchatTopic) {
        this.json = json;
        this.broadcasts = broadcasts;
        this.webchatTopic = webchatTopic;
        Gauge.builder("mehery.webchat.sockets", byVisitor, sockets -> sockets.values().stream()
                .mapToInt(Set::size).sum()).description("Chat widgets connected live to this instance")
                .register(meters);
    }

    /** @return the session to send through from now on: safe for the pushes of several threads at once */
    WebSocketSession join(Visitor visitor, WebSocketSession session) {
        WebSocketSession shared = new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MILLIS,
                BUFFER_LIMIT_BYTES, ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
        byVisitor.computeIfAbsent(keyOf(visitor.channelId(), visitor.address()), k -> ConcurrentHashMap.newKeySet())
                .add(shared);
        return shared;
    }

    void leave(Visitor visitor, WebSocketSession session) {
        byVisitor.computeIfPresent(keyOf(visitor.channelId(), visitor.address()), (key, sessions) -> {
            sessions.removeIf(s -> s.getId().equals(session.getId()));
            return sessions.isEmpty() ? null : sessions;
        });
    }

    /**
     * Sends the frame, as JSON, to every widget the visitor has open, on this instance and, through the webchat
     * topic, on the others; true when one here took it.
     */
    public boolean push(String channelId, String address, Object frame) {
        String text = toJson(frame);
        broadcasts.send(webchatTopic, text, Map.of(CHANNEL, channelId, ADDRESS, address));
        return pushHere(channelId, address, text);
    }

    /** A frame another instance pushed: to the visitor's widgets open here. */
    public void pushed(@Header(ClusterBroadcasts.ORIGIN) String origin, @Header(CHANNEL) String channelId,
            @Header(ADDRESS) String address, @Body String frame) {
        if (!broadcasts.own(origin)) {
            pushHere(channelId, address, frame);
        }
    }

    private boolean pushHere(String channelId, String address, String frame) {
        Set<WebSocketSession> sessions = byVisitor.get(keyOf(channelId, address));
        if (sessions == null) {
            return false;
        }
        TextMessage message = new TextMessage(frame);
        boolean taken = false;
        for (WebSocketSession session : sessions) {
            taken |= deliver(session, message);
        }
        return taken;
    }

    void send(WebSocketSession session, Object frame) {
        deliver(session, new TextMessage(toJson(frame)));
    }

    /** A socket that cannot take a frame is closed: its widget reads what it missed at its next visit. */
    private static boolean deliver(WebSocketSession session, TextMessage message) {
        try {
            session.sendMessage(message);
            return true;
        } catch (IOException | IllegalStateException gone) {
            LOG.info("A chat widget's socket could not take a frame ({}); it is closed",
                    gone.getClass().getSimpleName());
            close(session);
            return false;
        }
    }

    private static void close(WebSocketSession session) {
        close(session, CloseStatus.SESSION_NOT_RELIABLE);
    }

    static void close(WebSocketSession session, CloseStatus status) {
        try {
            session.close(status);
        } catch (IOException alreadyGone) {
            // closed either way
        }
    }

    private String toJson(Object frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A widget frame could not be written as JSON", e);
        }
    }

    /**
     * A website channel whose identity secret changed (or that is gone) no longer stands behind the tokens its open
     * sockets proved themselves with: they are closed, and each widget visits again for a new token.
     */
    @Override
    public void changed(MeheryProperties previous, MeheryProperties next) {
        previous.channels().forEach((channelId, before) -> {
            Channel after = next.channels().get(channelId);
            if (before.type() == ChannelType.WEBSITE && (after == null || after.type() != ChannelType.WEBSITE
                    || !Objects.equals(before.identitySecret(), after.identitySecret()))) {
                byVisitor.entrySet().removeIf(visitor -> {
                    if (!visitor.getKey().startsWith(keyOf(channelId, ""))) {
                        return false;
                    }
                    visitor.getValue().forEach(session -> close(session, WebchatSocketHandler.INVALID_TOKEN));
                    return true;
                });
                LOG.info("Website channel {} changed its identity secret or is gone: its open widgets visit again",
                        channelId);
            }
        });
    }

    private static String keyOf(String channelId, String address) {
        return channelId + "\n" + address;
    }
}
