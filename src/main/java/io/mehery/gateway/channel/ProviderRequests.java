package io.mehery.gateway.channel;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** What every channel does to call its provider's HTTP API. */
public final class ProviderRequests {

    private ProviderRequests() {
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
