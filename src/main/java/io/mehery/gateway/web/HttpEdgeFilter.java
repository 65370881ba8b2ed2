package io.mehery.gateway.web;

import java.io.IOException;
import java.security.Principal;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.ContractOperations;
import io.mehery.gateway.api.Envelopes;
import io.mehery.gateway.logging.TraceIds;
import io.mehery.gateway.logging.TraceSpans;

/**
 * The first thing every request meets. All it decides is decided from the request line and headers, before a byte
 * of the body is read (a stranger's slow body would otherwise hold a server thread for as long as it likes), in this
 * order: the trace id; that the gateway is ready (503 while it starts or stops, actuator aside); where the request
 * goes and who sends it ({@link ContractRouting}, {@link EdgeAuthentication}); the declared size. Only then is the
 * body read ({@link BodyReading}); its bytes stay with the request (attribute {@link #RAW_BODY}), and a website
 * visitor's upload never becomes the route's text body. A request refused with its body unread has its connection
 * closed, not drained.
 */
@Component
// after Spring's observation filter, so that the request's span is there to name its trace
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class HttpEdgeFilter extends OncePerRequestFilter {

    /**
     * The request attribute holding the body's bytes as they arrived, for checks that sign them (a form post is
     * parsed into parameters before any route sees it).
     */
    public static final String RAW_BODY = "mehery.rawBody";
    /** Set on a request answered without reading its body: the server closes its connection instead of reading on. */
    public static final String UNREAD_BODY = "mehery.unreadBody";

    private static final String CONFIGURATION_PATHS = "/api/v1/admin/config/";

    private final ContractRouting routing;
    private final EdgeAuthentication authentication;
    private final BodyReading bodies;
    private final Envelopes envelopes;
    private final RequestHold hold;
    private final ApplicationAvailability availability;
    private final TraceSpans spans;

    HttpEdgeFilter(ContractRouting routing, EdgeAuthentication authentication, BodyReading bodies,
            Envelopes envelopes, RequestHold hold, ApplicationAvailability availability, TraceSpans spans) {
        this.routing = routing;
        this.authentication = authentication;
        this.bodies = bodies;
        this.envelopes = envelopes;
        this.hold = hold;
        this.availability = availability;
        this.spans = spans;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String carried = spans.ofRequest(request.getHeader(TraceIds.TRACEPARENT), request.getHeader(TraceIds.HEADER));
        String traceId = TraceIds.traceIdOf(carried);
        MDC.put(TraceIds.MDC_KEY, traceId);
        response.setHeader(TraceIds.HEADER, traceId);
        try {
            String path = pathOf(request);
            if (!ContractRouting.isActuator(path)
                    && availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
                // starting (routes not all running yet) or stopping: a load balancer sends it to another instance
                throw EdgeRefusal.of(503, "SERVICE_UNAVAILABLE", null,
                        "The gateway is starting or stopping; retry shortly", "1");
            }
            ContractOperations.Found found = routing.admit(request, path);
            bodies.requireDeclaredSize(request, path);
            authentication.headerCredentials(request, path);
            boolean upload = BodyReading.isUpload(path);
            if (upload) {
                bodies.enterUpload();
            }
            boolean handedOn = false;
            boolean inside = false;
            try {
                byte[] body = bodies.read(request, path, found);
                request.setAttribute(RAW_BODY, body);
                // a configuration change is what closes the hold: it must not wait for itself
                if (!path.startsWith(CONFIGURATION_PATHS)) {
                    hold.enter();
                    inside = true;
                }
                HttpServletRequest admitted = ContractRouting.isActuator(path) && authentication.isOperator(request)
                        ? new OperatorRequest(request) : request;
                // an upload's bytes stay in RAW_BODY alone: as the route's body Camel would copy them into text
                chain.doFilter(new BufferedBodyRequest(admitted, upload ? new byte[0] : body, carried), response);
                handedOn = true;
                boolean answeredInside = inside;
                whenAnswered(request, response, status -> {
                    if (answeredInside) {
                        hold.leave();
                    }
                    if (status == 401) {
                        authentication.failed(request);
                    }
                    if (upload) {
                        bodies.uploadAnswered();
                    }
                });
            } finally {
                if (upload && !handedOn) {
                    bodies.uploadAnswered();
                }
                if (inside && !handedOn) {
                    hold.leave();
                }
            }
        } catch (EdgeRefusal refusal) {
            refuseUnread(request, response, refusal.failure(), refusal.retryAfter(), pathOf(request),
                    TraceIds.current(), envelopes);
        } finally {
            MDC.remove(TraceIds.MDC_KEY);
        }
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
        if (BodyReading.hasBody(request) && request.getAttribute(RAW_BODY) == null) {
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

    static String pathOf(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return request.getServletPath() + (pathInfo == null ? "" : pathInfo);
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
}
