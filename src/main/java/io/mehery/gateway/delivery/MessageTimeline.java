package io.mehery.gateway.delivery;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A message's own story, as the admin API shows it: when it was accepted, the statuses it reached (for a send: the
 * provider's answer, then its receipts), each callback planned for it and every attempt to deliver one, in time
 * order. Times are epoch milliseconds, as in the delivery log.
 */
public record MessageTimeline(
        String messageId,
        String tenantId,
        String direction,
        String channelId,
        String contactId,
        String sessionId,
        String type,
        String status,
        List<Entry> timeline) {

    /** One thing that happened to the message; only the fields its event has are shown. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(long at, String event, String webhookId, String kind, Integer attempt, Integer statusCode,
            Long latencyMs, String error, String instance, String detail) {

        static Entry of(long at, String event, String detail) {
            return new Entry(at, event, null, null, null, null, null, null, null, detail);
        }
    }
}
