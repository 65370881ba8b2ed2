package io.mehery.gateway;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** The operational events the operator's webhook of the tests received (GatewayTestSupport.OPERATIONS). */
public final class OperationalEventsSeen {

    private OperationalEventsSeen() {
    }

    /** The events of {@code type} about {@code tenant}, as received, in order. */
    public static List<LoggedRequest> of(String type, String tenant) {
        return GatewayTestSupport.OPERATIONS.received("ops", GatewayTestSupport.OPERATIONS_PATH).stream()
                .filter(r -> {
                    JsonNode event = WebhookReceiver.json(r);
                    return event.path("type").asText().equals(type)
                            && event.at("/data/tenantId").asText().equals(tenant);
                }).toList();
    }
}
