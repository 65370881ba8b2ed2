package io.mehery.gateway.channel;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;

/** What every channel does with a provider's HTTP: read its JSON notifications, and POST to its API. */
public final class ProviderRequests {

    private ProviderRequests() {
    }

    /** A provider's notification as JSON; 400 naming the body when it is not. */
    public static JsonNode parse(ObjectMapper json, byte[] body) {
        try {
            return json.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("MALFORMED_JSON", "body", "The notification is not JSON");
        }
    }

    /** Makes the message the provider request that the {@code provider:} endpoint sends. */
    public static void post(Message message, String url, String contentType, String authorization, String body) {
        message.setHeader(Exchange.HTTP_URI, url);
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        if (authorization != null) {
            message.setHeader("Authorization", authorization);
        }
        message.setBody(body);
    }
}
