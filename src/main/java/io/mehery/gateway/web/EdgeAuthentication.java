package io.mehery.gateway.web;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.security.ConsoleSessions;
import io.mehery.gateway.security.FailedAuthentications;
import io.mehery.gateway.security.OperatorKey;
import io.mehery.gateway.security.Tenants;

/**
 * Who sends a request, from its headers alone: a tenant's or the operator's {@code x-api-key}, a channel's header
 * credentials, or, on the paths the console calls and with no key, the console's session cookie (a change also needs
 * the session's CSRF token). A valid key (or session) of the wrong kind is refused with 403, a missing or wrong one
 * with 401. A source whose credentials keep failing (a key, a token, a signature, an app's proof) is held with 429
 * on every path that takes credentials; each failure counts toward that hold.
 */
@Component
class EdgeAuthentication {

    private final Tenants tenants;
    private final OperatorKey operator;
    private final FailedAuthentications failures;
    private final List<HeaderCredentials> headerCredentials;
    private final ConsoleSessions sessions;

    EdgeAuthentication(Tenants tenants, OperatorKey operator, FailedAuthentications failures,
            List<HeaderCredentials> headerCredentials, ConsoleSessions sessions) {
        this.tenants = tenants;
        this.operator = operator;
        this.failures = failures;
        this.headerCredentials = List.copyOf(headerCredentials);
        this.sessions = sessions;
    }

    /** A tenant's key: the tenant it names is the request's from here on ({@link Tenants#AUTHENTICATED}). */
    void tenant(HttpServletRequest request) {
        Caller caller = caller(request);
        if (caller.operator()) {
            throw forbidden("This operation acts for a tenant: it takes the tenant's x-api-key");
        }
        request.setAttribute(Tenants.AUTHENTICATED, caller.tenant());
    }

    /** The operator's key, or else a tenant's: the operator is marked as {@link #operator} marks it. */
    void tenantOrOperator(HttpServletRequest request) {
        Caller caller = caller(request);
        if (caller.operator()) {
            request.setAttribute(OperatorKey.AUTHENTICATED, Boolean.TRUE);
        } else {
            request.setAttribute(Tenants.AUTHENTICATED, caller.tenant());
        }
    }

    /** The operator's key, never a tenant's, for the operations that change the gateway itself. */
    void operator(HttpServletRequest request) {
        if (!caller(request).operator()) {
            throw forbidden("This operation is the operator's: a tenant's key does not open it");
        }
        request.setAttribute(OperatorKey.AUTHENTICATED, Boolean.TRUE);
    }

    boolean isOperator(HttpServletRequest request) {
        return operator.matches(request.getHeader(ApiRequestGate.API_KEY_HEADER));
    }

    /** Who a request comes from: the operator, or a tenant. */
    private record Caller(String tenant) {
        static final Caller OPERATOR = new Caller(null);

        boolean operator() {
            return tenant == null;
        }
    }

    /**
     * The caller a request's key names, or, without a key on a path the console calls, its console session (a change
     * with the session's CSRF token only); refused with 401 (counted as a failure) when neither holds.
     */
    private Caller caller(HttpServletRequest request) {
        refuseHeldSource(request);
        String key = request.getHeader(ApiRequestGate.API_KEY_HEADER);
        if (key == null && CONSOLE_API.stream().anyMatch(HttpEdgeFilter.pathOf(request)::startsWith)) {
            Optional<ConsoleSessions.Session> session = consoleSession(request);
            if (session.isPresent()) {
                boolean reads = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
                if (!reads && !ConsoleSessions.csrfMatches(session.get(),
                        request.getHeader(ConsoleSessions.CSRF_HEADER))) {
                    throw EdgeRefusal.of(403, "CSRF_TOKEN_MISSING", ConsoleSessions.CSRF_HEADER, "A change made with"
                            + " the console's session carries its " + ConsoleSessions.CSRF_HEADER + " header", null);
                }
                return session.get().operator() ? Caller.OPERATOR : new Caller(session.get().tenant());
            }
        }
        if (isOperator(request)) {
            return Caller.OPERATOR;
        }
        Optional<String> tenant = tenants.authenticate(key);
        if (tenant.isEmpty()) {
            failed(request);
            throw new EdgeRefusal(ApiException.unauthorized());
        }
        return new Caller(tenant.get());
    }

    /** The paths whose operations a console session may call: the admin API, a session's messages and media. */
    private static final Set<String> CONSOLE_API = Set.of("/api/v1/admin/", "/api/v1/session/messages",
            "/api/v1/media/");

    /** The console session the request's cookie holds, when valid; the edge leaves it for the console's pages. */
    Optional<ConsoleSessions.Session> consoleSession(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (ConsoleSessions.COOKIE.equals(cookie.getName())) {
                Optional<ConsoleSessions.Session> session = sessions.verify(cookie.getValue());
                session.ifPresent(valid -> request.setAttribute(ConsoleSessions.AUTHENTICATED, valid));
                return session;
            }
        }
        return Optional.empty();
    }

    private static EdgeRefusal forbidden(String description) {
        return EdgeRefusal.of(403, "FORBIDDEN", ApiRequestGate.API_KEY_HEADER, description, null);
    }

    /** The credentials a channel's path carries in its headers, before its body is read. */
    void headerCredentials(HttpServletRequest request, String path) {
        for (HeaderCredentials credentials : headerCredentials) {
            if (credentials.guards(path)) {
                try {
                    credentials.check(path, request);
                } catch (ApiException refused) {
                    failed(request);
                    throw new EdgeRefusal(refused);
                }
            }
        }
    }

    void refuseHeldSource(HttpServletRequest request) {
        failures.heldFor(request.getRemoteAddr()).ifPresent(held -> {
            throw EdgeRefusal.of(429, "TOO_MANY_FAILED_AUTHENTICATIONS", ApiRequestGate.API_KEY_HEADER,
                    "Too many requests with a wrong x-api-key came from this address; retry after the time in"
                            + " Retry-After", Long.toString(Math.max(1, held.toSeconds() + 1)));
        });
    }

    /** Credentials refused here or further in (a token, a signature, an app's proof): they count like a wrong key. */
    void failed(HttpServletRequest request) {
        failures.failed(request.getRemoteAddr());
    }
}
