package io.mehery.gateway.provider;

import java.util.Map;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.logging.TraceIds;
import io.mehery.gateway.logging.TraceSpans;

/**
 * A provider call is a client span of the trace of the request that brought the message in: begun before the call,
 * whose {@code traceparent} header it sets, and ended with the call's status code or failure.
 */
@Component("providerCallSpans")
public class ProviderCallSpans {

    private final TraceSpans spans;

    public ProviderCallSpans(TraceSpans spans) {
        this.spans = spans;
    }

    public void start(Exchange exchange, String channelType) {
        TraceSpans.Call call = spans.call("provider " + channelType, exchange.getMessage().getHeader(
                Exchange.BREADCRUMB_ID, String.class), Map.of("mehery.channel_type", channelType));
        exchange.setProperty(RouteProperties.PROVIDER_CALL_SPAN, call);
        exchange.getMessage().setHeader(TraceIds.TRACEPARENT, call.traceparent());
    }

    public void end(Exchange exchange) {
        TraceSpans.Call call = exchange.getProperty(RouteProperties.PROVIDER_CALL_SPAN, TraceSpans.Call.class);
        if (call != null) {
            exchange.removeProperty(RouteProperties.PROVIDER_CALL_SPAN);
            call.end(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class),
                    exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        }
    }
}
