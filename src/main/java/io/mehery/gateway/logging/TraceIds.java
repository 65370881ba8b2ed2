package io.mehery.gateway.logging;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.slf4j.MDC;

/**
 * The trace id of the request being served: in its answer, and on its log lines, where the servlet thread has it as
 * MDC {@code traceid} and Camel's threads as the exchange's breadcrumb id (MDC {@code camel.breadcrumbId}), which
 * also follows the work through the queues.
 */
public final class TraceIds {

    public static final String MDC_KEY = "traceid";
    public static final String HEADER = "X-Trace-Id";
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
    public static String adopt(String incoming) {
        if (incoming != null && SAFE.matcher(incoming).matches()) {
            return incoming;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }
}
