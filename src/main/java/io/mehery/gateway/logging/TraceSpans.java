package io.mehery.gateway.logging;

import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;

/**
 * The gateway's spans beside the one Spring makes for each request it serves: a client span for each call it makes
 * for that request's work (a callback to the client's webhook, a call to a provider), in the request's trace and
 * under its span even when the call is made later or by another instance (the span's id is carried with the work,
 * see {@link TraceIds#carried()}). Exported over OTLP when {@code management.otlp.tracing.endpoint} is set; with
 * tracing off ({@code management.tracing.enabled=false}) a call still carries a {@code traceparent} of the trace.
 */
@Component
public class TraceSpans {

    private final Tracer tracer;

    public TraceSpans(ObjectProvider<Tracer> tracer) {
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
    }

    /**
     * What the request being served carries on to its work: its trace id (the caller's {@code traceparent}'s, else
     * its {@code X-Trace-Id}, else the trace its span began) and the id of its span when that span is in the same
     * trace.
     */
    public String ofRequest(String traceparent, String incomingTraceId) {
        Span server = tracer.currentSpan();
        TraceContext context = server == null ? null : server.context();
        String traceId = TraceIds.adopt(traceparent, incomingTraceId, context == null ? null : context.traceId());
        return context != null && traceId.equals(context.traceId()) ? TraceIds.carried(traceId, context.spanId())
                : traceId;
    }

    /**
     * Starts the client span of a call made for the work that carried {@code carried}: under the span that caused it
     * when known, else in its trace; a trace of its own when the work's trace id is not a W3C one.
     */
    public Call call(String name, String carried, Map<String, String> tags) {
        String traceId = TraceIds.traceIdOf(carried);
        Span.Builder builder = tracer.spanBuilder().name(name).kind(Span.Kind.CLIENT);
        if (TraceIds.isW3cTraceId(traceId)) {
            String parent = TraceIds.spanIdOf(carried);
            builder.setParent(tracer.traceContextBuilder().traceId(traceId)
                    .spanId(parent != null ? parent : TraceIds.randomSpanId()).sampled(true).build());
        } else {
            builder.setNoParent();
        }
        tags.forEach(builder::tag);
        return new Call(builder.start(), traceId);
    }

    /** A call's span: its {@code traceparent} goes with the call; it ends with the call's answer. */
    public static final class Call {

        private final Span span;
        private final String traceId;

        private Call(Span span, String traceId) {
            this.span = span;
            this.traceId = traceId;
        }

        /** The W3C trace context the call carries: this span's, or (tracing off) a span id of the trace's own. */
        public String traceparent() {
            TraceContext context = span.context();
            return TraceIds.isW3cTraceId(context.traceId())
                    ? TraceIds.traceparent(context.traceId(), context.spanId(), !Boolean.FALSE.equals(context.sampled()))
                    : TraceIds.traceparent(traceId);
        }

        /** The call was answered with {@code statusCode} (none if it failed before an answer), or failed. */
        public void end(Integer statusCode, Throwable failure) {
            if (statusCode != null) {
                span.tag("http.response.status_code", statusCode);
            }
            if (failure != null) {
                span.error(failure);
            } else if (statusCode != null && statusCode >= 400) {
                span.tag("error.type", String.valueOf(statusCode));
            }
            span.end();
        }
    }
}
