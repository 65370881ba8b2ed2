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
 * <p>
 * What follows the work is the trace id and, when the gateway's span of the request is in that trace, that span's
 * id after a colon ({@link #carried()}): the callbacks and provider calls it causes, later and maybe on another
 * instance, are spans under it ({@link TraceSpans}). Everything shown to people (answers, headers, log lines) is
 * the trace id alone.
 */
public final class TraceIds {

    public static final String MDC_KEY = "traceid";
    public static final String HEADER = "X-Trace-Id";
    /** W3C Trace Context: version 00, trace id, parent span id, flags. */
    public static final String TRACEPARENT = "traceparent";
    private static final Pattern W3C_TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
    private static final Pattern W3C_TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern W3C_SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final String INVALID_TRACE_ID = "0".repeat(32);
    private static final String INVALID_SPAN_ID = "0".repeat(16);
    public static final String CAMEL_HEADER = "breadcrumbId";
    private static final String CAMEL_MDC_KEY = "camel.breadcrumbId";
    /** Between the trace id and the span id in what is carried: a character no adopted trace id has. */
    private static final char SPAN_SEPARATOR = ':';
    private static final HexFormat HEX = HexFormat.of();
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

    private TraceIds() {
    }

    /** The trace id of the work this thread does. */
    public static String current() {
        String traceId = MDC.get(MDC_KEY);
        return traceId != null ? traceId : traceIdOf(MDC.get(CAMEL_MDC_KEY));
    }

    /** What the work this thread does hands on to the work it causes: its trace id and, if known, its span's id. */
    public static String carried() {
        String carried = MDC.get(CAMEL_MDC_KEY);
        return carried != null ? carried : MDC.get(MDC_KEY);
    }

    /** What is carried for a request in trace {@code traceId} whose gateway span is {@code spanId} (if any). */
    public static String carried(String traceId, String spanId) {
        return spanId == null || !isW3cTraceId(traceId) || !W3C_SPAN_ID.matcher(spanId).matches()
                || spanId.equals(INVALID_SPAN_ID) ? traceId : traceId + SPAN_SEPARATOR + spanId;
    }

    /** The trace id of what is carried. */
    public static String traceIdOf(String carried) {
        if (carried == null) {
            return null;
        }
        int separator = carried.indexOf(SPAN_SEPARATOR);
        return separator < 0 ? carried : carried.substring(0, separator);
    }

    /** The id of the span that caused the carried work, if it is known. */
    public static String spanIdOf(String carried) {
        int separator = carried == null ? -1 : carried.indexOf(SPAN_SEPARATOR);
        return separator < 0 ? null : carried.substring(separator + 1);
    }

    public static boolean isW3cTraceId(String traceId) {
        return traceId != null && W3C_TRACE_ID.matcher(traceId).matches() && !traceId.equals(INVALID_TRACE_ID);
    }

    /**
     * The trace id of a request: a caller's W3C {@code traceparent} names it, so that the gateway's answer, logs,
     * callbacks and provider calls join the caller's trace; else its {@code X-Trace-Id} (see {@link #adopt}); else
     * {@code fresh} (the trace the gateway's span of the request began), if there is one.
     */
    public static String adopt(String traceparent, String incoming, String fresh) {
        if (traceparent != null) {
            Matcher w3c = W3C_TRACEPARENT.matcher(traceparent.trim());
            if (w3c.matches() && !w3c.group(1).equals(INVALID_TRACE_ID) && !w3c.group(2).equals(INVALID_SPAN_ID)) {
                return w3c.group(1);
            }
        }
        return incoming == null && isW3cTraceId(fresh) ? fresh : adopt(incoming);
    }

    /**
     * The {@code traceparent} of a call the gateway makes in trace {@code traceId} (a callback, a provider call) when
     * no span of it is recorded: a span id of its own under the same trace, sampled. None when the trace id is not a
     * W3C one (a caller's own {@code X-Trace-Id} of another shape).
     */
    public static String traceparent(String traceId) {
        if (!isW3cTraceId(traceId)) {
            return null;
        }
        return traceparent(traceId, randomSpanId(), true);
    }

    public static String traceparent(String traceId, String spanId, boolean sampled) {
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }

    /** A span id for a parent the gateway did not record (work carried without one). */
    public static String randomSpanId() {
        return HEX.toHexDigits(nonZeroRandom());
    }

    private static long nonZeroRandom() {
        long span;
        do {
            span = ThreadLocalRandom.current().nextLong();
        } while (span == 0);
        return span;
    }

    /**
     * Keeps a caller's id when it is safe to log as it is, so one id can follow a call across systems. A new id
     * needs to be unique, not secret: it comes from the thread's own generator, not from the shared, locked
     * SecureRandom of {@code UUID.randomUUID()}, which every refused connection of a flood would queue on.
     */
    public static String adopt(String incoming) {
        if (incoming != null && SAFE.matcher(incoming).matches()) {
            return incoming;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }
}
