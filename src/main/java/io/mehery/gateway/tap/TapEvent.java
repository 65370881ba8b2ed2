package io.mehery.gateway.tap;

import java.util.Map;

/**
 * What a tap receives, one JSON object per event: {@code event} (inbound-message, outbound-message, status-change,
 * callback-attempt, dead-letter), where it happened, when (epoch millis), and the event's own {@code data}.
 */
public record TapEvent(String id, String event, String tenantId, String channelId, long at, Map<String, Object> data) {
}
