package io.mehery.gateway.provider;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.Envelopes;
import io.mehery.gateway.api.Refusal;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MessageStatus;
import io.mehery.gateway.store.MessageStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The outcome of a provider API call for an outbound message, the same for every channel: 2xx makes it SENT with
 * the provider's message id (found at the JSON pointer the channel's route names); any other 4xx makes it FAILED
 * with the provider's error; a 5xx, 429, timeout or refused connection is thrown back so that the transacted
 * outbound queue hands the message over again later, until the last allowed attempt fails it.
 */
@Component("providerCalls")
public class ProviderCalls {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderCalls.class);
    /** A rate limit's reset further away than this is taken as this (X's windows are 15 minutes). */
    static final Duration LONGEST_RATE_LIMIT_WAIT = Duration.ofHours(1);
    /** Clocks differ: a call at the very second of the reset could meet the old window. */
    private static final long RATE_LIMIT_MARGIN_MILLIS = 1_000;

    private final MessageStore messages;
    private final GroupCommit commits;
    private final ObjectMapper json;
    private final Clock clock;
    private final int maxAttempts;
    private final MeterRegistry registry;

    public ProviderCalls(MessageStore messages, GroupCommit commits, ObjectMapper json, Clock clock,
            @Value("${mehery.queues.max-delivery-attempts:10}") int maxAttempts, MeterRegistry registry) {
        this.registry = registry;
        this.messages = messages;
        this.commits = commits;
        this.json = json;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
    }

    /**
     * @param idPointer where the provider's answer holds its message id, e.g. {@code /messages/0/id}; several
     *     pointers separated by spaces make one id of their values joined by {@code :} (Telegram's message ids are
     *     unique only within their chat)
     * @param errorPointer where its error answer holds the reason, e.g. {@code /error/message}
     */
    public void outcome(@ExchangeProperty(RouteProperties.DISPATCH) OutboundDispatch dispatch,
            @ExchangeProperty(RouteProperties.DELIVERY_COUNT) Integer deliveryCount,
            @ExchangeProperty(RouteProperties.PROVIDER_MESSAGE_ID_POINTER) String idPointer,
            @ExchangeProperty(RouteProperties.PROVIDER_ERROR_POINTER) String errorPointer, Exchange exchange) {
        Call call = Call.of(exchange);
        count(dispatch, call);
        if (call.accepted()) {
            sent(dispatch, messageId(call.answer(), idPointer), clock.millis());
            exchange.setProperty(RouteProperties.PROVIDER_ACCEPTED, true);
            return;
        }
        Integer status = call.status();
        Long retryAt = status != null && status == 429 ? retryAtOf(exchange.getMessage(), clock.millis()) : null;
        if (retryAt != null) {
            // the provider said when: the dispatch waits for it in the queue, not on the queue's back-off
            commits.run(() -> messages.endDispatch(dispatch.messageId()));
            exchange.setProperty(RouteProperties.RETRY_AT, retryAt);
            LOG.info("Outbound message {} is rate limited by its provider; sent again in {} ms", dispatch.messageId(),
                    retryAt - clock.millis());
            return;
        }
        failed(dispatch, deliveryCount, reason(call, errorPointer),
                status == null || status >= 500 || status == 429 || status == 408);
    }

    /**
     * When a 429 says to come back: X's {@code x-rate-limit-reset} (epoch seconds) or {@code Retry-After} (seconds),
     * at most {@link #LONGEST_RATE_LIMIT_WAIT} away; null when it says neither.
     */
    static Long retryAtOf(Message answer, long now) {
        Long reset = answer.getHeader("x-rate-limit-reset", Long.class);
        Long retryAfter = answer.getHeader("Retry-After", Long.class);
        long at;
        if (reset != null) {
            at = reset * 1000 + RATE_LIMIT_MARGIN_MILLIS;
        } else if (retryAfter != null) {
            at = now + retryAfter * 1000;
        } else {
            return null;
        }
        return Math.min(Math.max(at, now), now + LONGEST_RATE_LIMIT_WAIT.toMillis());
    }

    /** The exchange now carries the follow-up text as its dispatch, for the channel's own mapping to send. */
    public void followWithText(@ExchangeProperty(RouteProperties.DISPATCH) OutboundDispatch dispatch,
            @ExchangeProperty(RouteProperties.FOLLOWING_TEXT) String text, Exchange exchange) {
        exchange.removeProperty(RouteProperties.FOLLOWING_TEXT);
        exchange.setProperty(RouteProperties.DISPATCH, dispatch.followingText(text));
    }

    /**
     * The outcome of the text that follows an accepted file (a caption the provider has no field for): the message
     * stays sent either way; a failure is written to its log.
     */
    public void followingOutcome(@ExchangeProperty(RouteProperties.DISPATCH) OutboundDispatch dispatch,
            @ExchangeProperty(RouteProperties.PROVIDER_ERROR_POINTER) String errorPointer, Exchange exchange) {
        Call call = Call.of(exchange);
        if (call.accepted()) {
            return;
        }
        String reason = reason(call, errorPointer);
        LOG.warn("The caption of outbound message {}, sent as a following text, failed: {}", dispatch.messageId(),
                reason);
        commits.run(() -> messages.note(dispatch.messageId(), "The caption, sent as a following text, failed: "
                + reason));
    }

    /** The provider took the message: SENT, with the id the provider gave it. */
    public void sent(OutboundDispatch dispatch, String providerMessageId, long at) {
        commits.run(() -> messages.advance(dispatch.messageId(), MessageStatus.SENT, providerMessageId, at));
    }

    /**
     * A send that did not go through: trouble that may pass is thrown back for the outbound queue to hand the
     * message over again, until the last allowed attempt; anything else fails the message with its reason.
     */
    public void failed(OutboundDispatch dispatch, Integer deliveryCount, String reason, boolean transientTrouble) {
        int attempt = deliveryCount == null ? 1 : deliveryCount;
        if (transientTrouble && attempt < maxAttempts) {
            commits.run(() -> messages.endDispatch(dispatch.messageId()));
            throw new ProviderUnavailableException("provider call for message " + dispatch.messageId()
                    + " failed (attempt " + attempt + " of " + maxAttempts + "): " + reason);
        }
        LOG.warn("Outbound message {} failed: {}", dispatch.messageId(), reason);
        long now = clock.millis();
        commits.run(() -> messages.fail(dispatch.messageId(), reason, now));
    }

    /**
     * Something in the channel's outbound route broke (a mapping the channel could not make, a bug): the message
     * fails with that reason rather than going round the queue to its dead-letter address. Trouble that may pass
     * is thrown back for the queue to hand the message over again: a provider unavailable (no call was made, or it
     * ended without an outcome, so the call may be made again) or the gateway's store or broker unavailable (the
     * call's outcome may be unknown: its mark stays, so that it is not made twice).
     */
    public void channelFailed(@ExchangeProperty(RouteProperties.DISPATCH) OutboundDispatch dispatch,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) throws Exception {
        if (failure instanceof ProviderUnavailableException) {
            commits.run(() -> messages.endDispatch(dispatch.messageId()));
            throw failure;
        }
        if (Envelopes.classify(failure).status() == 503) {
            throw failure;
        }
        String reason = "The " + dispatch.channelType() + " channel could not send it: " + describe(failure);
        LOG.warn("Outbound message {} failed in its channel's route: {}", dispatch.messageId(), reason);
        LOG.debug("Where outbound message {} failed", dispatch.messageId(), failure);
        long now = clock.millis();
        commits.run(() -> messages.failUnfinished(dispatch.messageId(), reason, now));
    }

    /** The broker gave up on the dispatch after every delivery attempt: its message fails, if nothing ended it. */
    public void deadLettered(@Body OutboundDispatch dispatch) {
        long now = clock.millis();
        if (commits.write(() -> messages.failUnfinished(dispatch.messageId(), "The gateway gave up after "
                + maxAttempts + " attempts to hand the message to its channel; its log holds each attempt's reason",
                now))) {
            LOG.warn("Outbound message {} reached the dead-letter queue: failed", dispatch.messageId());
        }
    }

    /**
     * Prometheus, per channel: {@code mehery.provider.calls} by outcome (accepted, 4xx, 5xx, 429, or none: no answer);
     * each call's latency is Camel's own timer of the channel's outbound route.
     */
    private void count(OutboundDispatch dispatch, Call call) {
        String outcome = call.accepted() ? "accepted" : call.status() == null ? "none"
                : call.status() == 429 ? "429" : (call.status() / 100) + "xx";
        Counter.builder("mehery.provider.calls").description("Calls to messaging providers, by their outcome")
                .tag("channel", dispatch.channelId()).tag("type", String.valueOf(dispatch.channelType()))
                .tag("outcome", outcome).register(registry).increment();
    }

    private static String describe(Throwable failure) {
        if (failure instanceof Refusal refusal) {
            return refusal.description();
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    /** A provider call as the route left it: the exception it ended with, or the provider's status and answer. */
    private record Call(Throwable failure, Integer status, String answer) {

        static Call of(Exchange exchange) {
            Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            return failure != null ? new Call(failure, null, null) : new Call(null,
                    exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class),
                    exchange.getMessage().getBody(String.class));
        }

        boolean accepted() {
            return status != null && status / 100 == 2;
        }
    }

    private String reason(Call call, String errorPointer) {
        return call.failure() != null ? call.failure().getClass().getSimpleName() + ": " + call.failure().getMessage()
                : "HTTP " + call.status() + describe(call.answer(), errorPointer);
    }

    private String messageId(String answer, String pointers) {
        if (pointers == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String pointer : pointers.trim().split("\\s+")) {
            String part = read(answer, pointer);
            if (part == null) {
                return null;
            }
            parts.add(part);
        }
        return String.join(":", parts);
    }

    private String read(String answer, String pointer) {
        if (answer == null || pointer == null) {
            return null;
        }
        try {
            JsonNode value = json.readTree(answer).at(pointer);
            return value.isMissingNode() || value.isNull() ? null : value.asText();
        } catch (Exception notJson) {
            return null;
        }
    }

    private String describe(String answer, String pointer) {
        String error = read(answer, pointer);
        return error == null ? "" : ": " + error;
    }

    /** A provider could not take the message now; the outbound queue will hand it over again. */
    public static class ProviderUnavailableException extends RuntimeException {
        public ProviderUnavailableException(String message) {
            super(message);
        }
    }
}
