package io.mehery.gateway.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.ApiRequestGate;
import io.mehery.gateway.api.ContractOperations;
import io.mehery.gateway.api.RouteEndpoints;
import io.mehery.gateway.api.Envelopes;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.security.Channels;
import io.mehery.gateway.security.FailedAuthentications;
import io.mehery.gateway.security.OperatorKey;
import io.mehery.gateway.security.Tenants;

/**
 * The first thing every request meets, and all it decides is decided from the request line and headers, before a
 * byte of the body is read (a stranger's slow body would otherwise hold a server thread for as long as it likes):
 * the trace id; that the gateway is ready (503 while it starts or stops, actuator aside); whether the contract
 * serves the method and path, or a route file's own endpoint does ({@link RouteEndpoints}) (else 404/405, and 401
 * first for an unknown {@code /api/} path without a valid key);
 * the {@code x-api-key} of every operation that asks for one (a source that keeps failing is held with 429); that
 * a provider webhook names a configured channel of its type. Only then
 * is the body read: whole within {@code mehery.http.body-timeout} (else 408), no larger than
 * {@code mehery.http.max-body} (else 413), and, for a body nothing has authenticated yet (a provider's, verified by
 * its signature once read), only while fewer than {@code mehery.http.max-unauthenticated} others are being read
 * (else 503 at once). A website visitor's upload is read only with its visitor token checked from the headers and
 * while fewer than {@code mehery.webchat.max-concurrent-uploads} others are (else 503 at once); its bytes stay with
 * the request (attribute {@link #RAW_BODY}) and never become the route's text body. A request refused with its body
 * unread has its connection closed, not drained. A source whose credentials keep failing (a key, a token, a
 * signature, an app's proof) is held with 429 on every path that takes credentials.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class HttpEdgeFilter extends OncePerRequestFilter {

    /**
     * The request attribute holding the body's bytes as they arrived, for checks that sign them (a form post is
     * parsed into parameters before any route sees it).
     */
    public static final String RAW_BODY = "mehery.rawBody";
    /** Set on a request answered without reading its body: the server closes its connection instead of reading on. */
    public static final String UNREAD_BODY = "mehery.unreadBody";

    /** routes/bench-ceiling.yaml: the stack's own ceiling, served only when bench/run.py turns it on. */
    private static final String BENCH_CEILING = "/bench/ceiling";
    private static final String CONFIGURATION_PATHS = "/api/v1/admin/config/";
    private static final String METRICS = "/actuator/prometheus";
    private static final Pattern BAD_PERCENT_ENCODING = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    /** A chat widget's live socket: served by Spring's WebSocket support, not by the contract's routes. */
    private static final Pattern WEBCHAT_SOCKET = Pattern.compile("/webhooks/website/[^/]+/live");
    /** A website visitor's file: as large as mehery.webchat.max-upload allows. */
    private static final Pattern WEBCHAT_UPLOAD = Pattern.compile("/webhooks/website/[^/]+/files");
    private static final int CHUNK = 8192;

    private final long maxBody;
    private final long maxUpload;
    private final long bodyTimeoutNanos;
    private final Semaphore unauthenticatedBodies;
    private final Semaphore uploads;
    private final List<HeaderCredentials> headerCredentials;
    private final Envelopes envelopes;
    private final ContractOperations contract;
    private final RouteEndpoints routeEndpoints;
    private final Tenants tenants;
    private final FailedAuthentications failures;
    private final Channels channels;
    private final OperatorKey operator;
    private final boolean benchCeiling;
    private final boolean metricsNeedKey;
    private final RequestHold hold;
    private final ApplicationAvailability availability;

    public HttpEdgeFilter(MeheryProperties properties, Envelopes envelopes, ContractOperations contract,
            Tenants tenants, FailedAuthentications failures, Channels channels, OperatorKey operator,
            @Value("${mehery.bench.ceiling-route:false}") boolean benchCeiling, RequestHold hold,
            ApplicationAvailability availability, List<HeaderCredentials> headerCredentials,
            RouteEndpoints routeEndpoints) {
        this.routeEndpoints = routeEndpoints;
        this.maxBody = properties.http().maxBody().toBytes();
        this.maxUpload = Math.max(maxBody, properties.webchat().maxUpload().toBytes());
        this.bodyTimeoutNanos = properties.http().bodyTimeout().toNanos();
        this.unauthenticatedBodies = new Semaphore(properties.http().maxUnauthenticated());
        this.uploads = new Semaphore(properties.webchat().maxConcurrentUploads());
        this.headerCredentials = List.copyOf(headerCredentials);
        this.envelopes = envelopes;
        this.contract = contract;
        this.tenants = tenants;
        this.failures = failures;
        this.channels = channels;
        this.operator = operator;
        this.benchCeiling = benchCeiling;
        this.metricsNeedKey = properties.admin().metricsNeedKey();
        this.hold = hold;
        this.availability = availability;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String traceId = TraceIds.adopt(request.getHeader(TraceIds.HEADER));
        MDC.put(TraceIds.MDC_KEY, traceId);
        response.setHeader(TraceIds.HEADER, traceId);
        try {
            String path = pathOf(request);
            if (!isActuator(path) && availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
                // starting (routes not all running yet) or stopping: a load balancer sends it to another instance
                throw new Refusal(new ApiException(503, List.of(Problem.of("SERVICE_UNAVAILABLE", null,
                        "The gateway is starting or stopping; retry shortly"))), "1");
            }
            ContractOperations.Found found = admit(request, path);
            boolean upload = WEBCHAT_UPLOAD.matcher(path).matches();
            long bodyLimit = upload ? maxUpload : maxBody;
            if (request.getContentLengthLong() > bodyLimit) {
                throw tooLarge(bodyLimit);
            }
            checkHeaderCredentials(request, path);
            if (upload && !uploads.tryAcquire()) {
                throw busy("Too many files are being received; retry shortly");
            }
            boolean handedOn = false;
            boolean inside = false;
            try {
                boolean unauthenticated = found == ContractOperations.Found.OPEN && hasBody(request)
                        && !upload;
                if (unauthenticated && !unauthenticatedBodies.tryAcquire()) {
                    throw busy("Too many unauthenticated requests are being received; retry shortly");
                }
                byte[] body;
                try {
                    body = readBody(request, bodyLimit);
                } finally {
                    if (unauthenticated) {
                        unauthenticatedBodies.release();
                    }
                }
                request.setAttribute(RAW_BODY, body);
                // a configuration change is what closes the hold: it must not wait for itself
                if (!path.startsWith(CONFIGURATION_PATHS)) {
                    hold.enter();
                    inside = true;
                }
                HttpServletRequest admitted = isActuator(path)
                        && operator.matches(request.getHeader(ApiRequestGate.API_KEY_HEADER))
                        ? new OperatorRequest(request) : request;
                // an upload's bytes stay in RAW_BODY alone: as the route's body Camel would copy them into text
                chain.doFilter(new BufferedBodyRequest(admitted, upload ? new byte[0] : body, traceId), response);
                handedOn = true;
                boolean answeredInside = inside;
                whenAnswered(request, response, status -> {
                    if (answeredInside) {
                        hold.leave();
                    }
                    if (status == 401) {
                        // refused further in (a token, a signature, an app's proof): it counts like a wrong key
                        failures.failed(request.getRemoteAddr());
                    }
                    if (upload) {
                        uploads.release();
                    }
                });
            } finally {
                if (upload && !handedOn) {
                    uploads.release();
                }
                if (inside && !handedOn) {
                    hold.leave();
                }
            }
        } catch (Refusal refusal) {
            refuse(request, response, refusal);
        } finally {
            MDC.remove(TraceIds.MDC_KEY);
        }
    }

    /**
     * Runs once the answer's status is final: the routes answer asynchronously (platform-http), after this filter
     * has returned.
     */
    private static void whenAnswered(HttpServletRequest request, HttpServletResponse response, IntConsumer answered) {
        if (!request.isAsyncStarted()) {
            answered.accept(response.getStatus());
            return;
        }
        request.getAsyncContext().addListener(new AsyncListener() {
            private final AtomicBoolean done = new AtomicBoolean();

            @Override
            public void onComplete(AsyncEvent event) {
                finish();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                finish();
            }

            @Override
            public void onError(AsyncEvent event) {
                finish();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // the same request again: this listener stays
            }

            private void finish() {
                if (!done.getAndSet(true)) {
                    answered.accept(response.getStatus());
                }
            }
        });
    }

    /** What can be decided before the body: where the request goes, and who sends it when the contract asks. */
    private ContractOperations.Found admit(HttpServletRequest request, String path) {
        String query = request.getQueryString();
        if (query != null && BAD_PERCENT_ENCODING.matcher(query).find()) {
            throw new Refusal(ApiException.badRequest("INVALID_QUERY", "query",
                    "The query string has a '%' that is not followed by two hex digits"), null);
        }
        if (metricsNeedKey && path.startsWith(METRICS)) {
            authenticateOperator(request);
            return ContractOperations.Found.ADMIN;
        }
        if (isActuator(path) || (benchCeiling && path.equals(BENCH_CEILING))) {
            return ContractOperations.Found.OPEN;
        }
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade")) && WEBCHAT_SOCKET.matcher(path).matches()) {
            requireConfiguredChannel(path);
            return ContractOperations.Found.OPEN;
        }
        ContractOperations.Found found = contract.find(request.getMethod(), path);
        if (found == ContractOperations.Found.NO_PATH) {
            Optional<ContractOperations.Found> routed = routeEndpoints.find(request.getMethod(), path);
            if (routed.isPresent()) {
                return admitRouteEndpoint(request, routed.get());
            }
        }
        if (found == ContractOperations.Found.KEYED || (found == ContractOperations.Found.NO_PATH
                && path.startsWith("/api/"))) {
            authenticate(request);
        } else if (found == ContractOperations.Found.NO_METHOD && path.startsWith("/api/")) {
            // a 405 would tell a stranger that the path exists: any key of the gateway first
            authenticateTenantOrOperator(request);
        } else if (found == ContractOperations.Found.OPEN && path.startsWith("/webhooks/")) {
            refuseHeldSource(request);
        }
        return switch (found) {
            case NO_PATH -> throw new Refusal(ApiException.notFound("NOT_FOUND", null, "No such endpoint"), null);
            case NO_METHOD -> throw new Refusal(new ApiException(405, List.of(Problem.of("METHOD_NOT_ALLOWED", null,
                    "This endpoint does not take " + safeMethod(request)))), null);
            case OPEN -> {
                requireConfiguredChannel(path);
                yield found;
            }
            case KEYED -> found;
            case ADMIN -> {
                authenticateOperator(request);
                yield found;
            }
        };
    }

    /**
     * An endpoint of a route file's own: the tenant's key unless its route is public, and the same limits on the
     * body, the unauthenticated reads and the failing sources as the contract's endpoints.
     */
    private ContractOperations.Found admitRouteEndpoint(HttpServletRequest request, ContractOperations.Found found) {
        switch (found) {
            case KEYED -> authenticate(request);
            case OPEN -> refuseHeldSource(request);
            default -> {
                authenticateTenantOrOperator(request);
                throw new Refusal(new ApiException(405, List.of(Problem.of("METHOD_NOT_ALLOWED", null,
                        "This endpoint does not take " + safeMethod(request)))), null);
            }
        }
        return found;
    }

    private void authenticate(HttpServletRequest request) {
        refuseHeldSource(request);
        Optional<String> tenant = tenants.authenticate(request.getHeader(ApiRequestGate.API_KEY_HEADER));
        if (tenant.isEmpty()) {
            failures.failed(request.getRemoteAddr());
            throw new Refusal(ApiException.unauthorized(), null);
        }
        request.setAttribute(Tenants.AUTHENTICATED, tenant.get());
    }

    private void authenticateTenantOrOperator(HttpServletRequest request) {
        if (operator.matches(request.getHeader(ApiRequestGate.API_KEY_HEADER))) {
            refuseHeldSource(request);
        } else {
            authenticate(request);
        }
    }

    /** The credentials a channel's path carries in its headers, before its body is read. */
    private void checkHeaderCredentials(HttpServletRequest request, String path) {
        for (HeaderCredentials credentials : headerCredentials) {
            if (credentials.guards(path)) {
                try {
                    credentials.check(path, request);
                } catch (ApiException refused) {
                    failures.failed(request.getRemoteAddr());
                    throw new Refusal(refused, null);
                }
            }
        }
    }

    /** The operator's key, never a tenant's, for the operations that change the gateway itself. */
    private void authenticateOperator(HttpServletRequest request) {
        refuseHeldSource(request);
        if (!operator.matches(request.getHeader(ApiRequestGate.API_KEY_HEADER))) {
            failures.failed(request.getRemoteAddr());
            throw new Refusal(ApiException.unauthorized(), null);
        }
        request.setAttribute(OperatorKey.AUTHENTICATED, Boolean.TRUE);
    }

    private void refuseHeldSource(HttpServletRequest request) {
        var held = failures.heldFor(request.getRemoteAddr());
        if (held.isPresent()) {
            throw new Refusal(new ApiException(429, List.of(Problem.of("TOO_MANY_FAILED_AUTHENTICATIONS",
                    ApiRequestGate.API_KEY_HEADER, "Too many requests with a wrong x-api-key came from this address;"
                            + " retry after the time in Retry-After"))),
                    Long.toString(Math.max(1, held.get().toSeconds() + 1)));
        }
    }

    /**
     * A provider's webhook names its channel: it must be configured, and of the provider's type; so must the
     * website channel of a chat widget's page ({@code /webchat/<channelId>/...}).
     */
    private void requireConfiguredChannel(String path) {
        String[] segments = path.split("/");
        try {
            if (segments.length >= 4 && segments[1].equals("webhooks")) {
                channels.ofType(segments[3], ChannelType.valueOf(segments[2].toUpperCase(Locale.ROOT)));
            } else if (segments.length >= 3 && segments[1].equals("webchat")) {
                channels.ofType(segments[2], ChannelType.WEBSITE);
            }
        } catch (ApiException notConfigured) {
            throw new Refusal(notConfigured, null);
        }
    }

    /**
     * The body, whole within the body timeout; a socket that stalls is given up by the server's read timeout. A body
     * of declared length is read straight into an array of that length, so that a large upload is held once.
     */
    private byte[] readBody(HttpServletRequest request, long bodyLimit) {
        long deadline = System.nanoTime() + bodyTimeoutNanos;
        long declared = request.getContentLengthLong();
        try {
            InputStream in = request.getInputStream();
            if (declared >= 0 && request.getHeader("Transfer-Encoding") == null) {
                byte[] body = new byte[(int) declared];
                int filled = 0;
                while (filled < body.length) {
                    int read = in.read(body, filled, Math.min(CHUNK, body.length - filled));
                    if (read == -1) {
                        throw bodyTooSlow();
                    }
                    filled += read;
                    requireInTime(deadline);
                }
                return body;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] chunk = new byte[CHUNK];
            for (int read = in.read(chunk); read != -1; read = in.read(chunk)) {
                body.write(chunk, 0, read);
                if (body.size() > bodyLimit) {
                    throw tooLarge(bodyLimit);
                }
                requireInTime(deadline);
            }
            return body.toByteArray();
        } catch (IOException stalledOrGone) {
            throw bodyTooSlow();
        }
    }

    private static void requireInTime(long deadline) {
        if (System.nanoTime() - deadline > 0) {
            throw bodyTooSlow();
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Refusal refusal)
            throws IOException {
        refuseUnread(request, response, refusal.failure, refusal.retryAfter, pathOf(request), TraceIds.current(),
                envelopes);
    }

    /**
     * Answers a request refused before anything read its body: the envelope, and, when a body is left unread, the
     * connection closed instead of drained (a stranger's slow body must not hold the server).
     */
    public static void refuseUnread(HttpServletRequest request, HttpServletResponse response, ApiException failure,
            String retryAfter, String path, String traceId, Envelopes envelopes) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        if (hasBody(request) && request.getAttribute(RAW_BODY) == null) {
            request.setAttribute(UNREAD_BODY, Boolean.TRUE);
            response.setHeader("Connection", "close");
        }
        response.setStatus(failure.status());
        response.setContentType("application/json");
        if (retryAfter != null) {
            response.setHeader("Retry-After", retryAfter);
        }
        try {
            byte[] envelope = envelopes.toJson(Envelopes.envelopeOf(failure, path, traceId));
            response.setContentLength(envelope.length);
            response.getOutputStream().write(envelope);
            // committed now: closing the connection unread must not turn this answer into an error page
            response.flushBuffer();
        } catch (IOException clientGone) {
            // the caller left; there is nobody to tell
        }
    }

    /** Health and metrics: status for anyone, details only for the operator's key (see {@link OperatorRequest}). */
    private static boolean isActuator(String path) {
        return path.equals("/actuator") || path.startsWith("/actuator/");
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private static String pathOf(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return request.getServletPath() + (pathInfo == null ? "" : pathInfo);
    }

    /** The method as the answer may repeat it: a token of letters, else nothing of it. */
    private static String safeMethod(HttpServletRequest request) {
        String method = request.getMethod();
        return method.matches("[A-Z]{1,16}") ? method : "this method";
    }

    private static Refusal tooLarge(long bodyLimit) {
        return new Refusal(new ApiException(413, List.of(Problem.of("PAYLOAD_TOO_LARGE", "body",
                "The body is larger than the gateway accepts (" + bodyLimit + " bytes)"))), null);
    }

    private static Refusal busy(String why) {
        return new Refusal(new ApiException(503, List.of(Problem.of("SERVICE_UNAVAILABLE", null, why))), "1");
    }

    private static Refusal bodyTooSlow() {
        return new Refusal(new ApiException(408, List.of(Problem.of("REQUEST_TIMEOUT", "body",
                "The body did not arrive in time"))), null);
    }

    /** A request answered at the edge; {@code retryAfter} in seconds, when the caller should try again. */
    private static final class Refusal extends RuntimeException {
        private final ApiException failure;
        private final String retryAfter;

        Refusal(ApiException failure, String retryAfter) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
            this.retryAfter = retryAfter;
        }
    }

    /**
     * A request that carried the operator's key, as the servlet container would present an authenticated operator:
     * Spring Boot's health endpoint shows its details to role {@code OPERATOR} ({@code show-details: when-authorized}).
     */
    private static final class OperatorRequest extends HttpServletRequestWrapper {
        private static final Principal OPERATOR = () -> "operator";

        OperatorRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Principal getUserPrincipal() {
            return OPERATOR;
        }

        @Override
        public boolean isUserInRole(String role) {
            return "OPERATOR".equals(role);
        }
    }

    /**
     * The request with its body already read, so the size check and the route see the same bytes, and with the
     * trace id as Camel's breadcrumb id, so the routes, which run on other threads, log and answer with it.
     */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;
        private final String traceId;

        BufferedBodyRequest(HttpServletRequest request, byte[] body, String traceId) {
            super(request);
            this.body = body;
            this.traceId = traceId;
        }

        @Override
        public String getHeader(String name) {
            return TraceIds.CAMEL_HEADER.equalsIgnoreCase(name) ? traceId : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return TraceIds.CAMEL_HEADER.equalsIgnoreCase(name)
                    ? Collections.enumeration(List.of(traceId))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            super.getHeaderNames().asIterator().forEachRemaining(header -> {
                if (!TraceIds.CAMEL_HEADER.equalsIgnoreCase(header)) {
                    names.add(header);
                }
            });
            names.add(TraceIds.CAMEL_HEADER);
            return Collections.enumeration(names);
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already buffered");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
