package io.mehery.gateway.logging;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.MDC;

/**
 * The trace id of the request being served: in its answer, and on its log lines, where the servlet thread has it as
 * MDC {@code traceid} and Camel's threads as the exchange's breadcrumb id (MDC {@code camel.breadcrumbId}), which
 * also follows the work through the outbox and the queues to the callbacks and provider calls it causes, each sent
 * with a W3C {@code traceparent} of that trace.
 */
public final class TraceIds {

    public static final String MDC_KEY = "traceid";
    public static final String HEADER = "X-Trace-Id";
    /** W3C Trace Context: version 00, trace id, parent span id, flags. */
    public static final String TRACEPARENT = "traceparent";
    private static final Pattern W3C_TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
    private static final Pattern W3C_TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final String INVALID_TRACE_ID = "0".repeat(32);
    public static final String CAMEL_HEADER = "breadcrumbId";
    private static final String CAMEL_MDC_KEY = "camel.breadcrumbId";
    private static final HexFormat HEX = HexFormat.of();
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

    private TraceIds() {
    }

    public static String current() {
        String traceId = MDC.get(MDC_KEY);
        return traceId != null ? traceId : MDC.get(CAMEL_MDC_KEY);
    }

    /**
     * Keeps a caller's id when it is safe to log as it is, so one id can follow a call across systems. A new id
     * needs to be unique, not secret: it comes from the thread's own generator, not from the shared, locked
     * SecureRandom of {@code UUID.randomUUID()}, which every refused connection of a flood would queue on.
     */
    /**
     * The trace id of a request: a caller's W3C {@code traceparent} names it, so that the gateway's answer, logs,
     * callbacks and provider calls join the caller's trace; else its {@code X-Trace-Id} (see {@link #adopt}).
     */
    public static String adopt(String traceparent, String incoming) {
        if (traceparent != null) {
            Matcher w3c = W3C_TRACEPARENT.matcher(traceparent.trim());
            if (w3c.matches() && !w3c.group(1).equals(INVALID_TRACE_ID) && !w3c.group(2).equals("0".repeat(16))) {
                return w3c.group(1);
            }
        }
        return adopt(incoming);
    }

    /**
     * The {@code traceparent} of a call the gateway makes in trace {@code traceId} (a callback, a provider call): a
     * span of its own under the same trace, sampled. None when the trace id is not a W3C one (a caller's own
     * {@code X-Trace-Id} of another shape).
     */
    public static String traceparent(String traceId) {
        if (traceId == null || !W3C_TRACE_ID.matcher(traceId).matches() || traceId.equals(INVALID_TRACE_ID)) {
            return null;
        }
        long span;
        do {
            span = ThreadLocalRandom.current().nextLong();
        } while (span == 0);
        return "00-" + traceId + "-" + HEX.toHexDigits(span) + "-01";
    }

    public static String adopt(String incoming) {
        if (incoming != null && SAFE.matcher(incoming).matches()) {
            return incoming;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }
}
