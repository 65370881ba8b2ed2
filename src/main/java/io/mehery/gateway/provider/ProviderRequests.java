package io.mehery.gateway.provider;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

/** What every channel does to call its provider's HTTP API. */
public final class ProviderRequests {

    private ProviderRequests() {
    }

    /** Makes the message the provider request that the {@code provider:} endpoint sends. */
    public static void post(Message message, String url, String contentType, String authorization, String body) {
        post(message, url, contentType, authorization, (Object) body);
    }

    /** The same with a body of bytes (a multipart upload). */
    public static void post(Message message, String url, String contentType, String authorization, byte[] body) {
        post(message, url, contentType, authorization, (Object) body);
    }

    private static void post(Message message, String url, String contentType, String authorization, Object body) {
        message.setHeader(Exchange.HTTP_URI, url);
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        if (authorization != null) {
            message.setHeader("Authorization", authorization);
        }
        message.setBody(body);
    }

    /** What a provider said to a call a bean made itself (not a route's provider step); status 0: nothing. */
    public record Answer(int status, String body) {

        public boolean accepted() {
            return status / 100 == 2;
        }

        /** No answer, 429 or a 5xx: trouble that may pass, worth trying again later. */
        public boolean mayPass() {
            return status == 0 || status == 429 || status >= 500;
        }

        /** The status as a reason reads it. */
        public String said() {
            return status == 0 ? "nothing" : Integer.toString(status);
        }
    }

    /** POSTs through a {@code provider:} endpoint (its pool and timeouts) from a bean, and answers what came back. */
    public static Answer post(ProducerTemplate camel, String endpoint, String url, String contentType,
            String authorization, String body) {
        Exchange answer = camel.request(endpoint, exchange -> post(exchange.getMessage(), url, contentType,
                authorization, body));
        int status = answer.getException() != null ? 0
                : answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        return new Answer(status, status == 0 ? null : answer.getMessage().getBody(String.class));
    }
}
