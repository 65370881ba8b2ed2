package io.mehery.gateway.provider;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Body;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;

/**
 * The parse step of a provider webhook whose notifications are JSON (WhatsApp, Messenger, Instagram, Telegram):
 * it reads the raw bytes only after the verify step checked them.
 */
@Component("providerJson")
public class ProviderJson {

    private final ObjectMapper json;

    public ProviderJson(ObjectMapper json) {
        this.json = json;
    }

    /** The notification as JSON; 400 naming the body when it is not. */
    public JsonNode parse(@Body byte[] body) {
        try {
            return json.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("MALFORMED_JSON", "body", "The notification is not JSON");
        }
    }
}
