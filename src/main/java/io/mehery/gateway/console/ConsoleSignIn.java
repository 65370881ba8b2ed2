package io.mehery.gateway.console;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.security.ConsoleSessions;
import io.mehery.gateway.security.OperatorKey;
import io.mehery.gateway.security.Tenants;

/**
 * The console's sessions over HTTP: {@code POST /console/session} signs in with the operator's key or a tenant's
 * (sent once in the body, never kept) and sets the session cookie: {@code HttpOnly}, {@code SameSite=Strict},
 * {@code Secure} when the request came over HTTPS; {@code GET} says who is signed in and the session's CSRF token;
 * {@code DELETE} signs out. A wrong key is a 401 like any other, counted toward the caller's hold.
 */
@Component("consoleSignIn")
public class ConsoleSignIn {

    private final ConsoleSessions sessions;
    private final OperatorKey operator;
    private final Tenants tenants;
    private final Clock clock;
    private final ObjectMapper json;

    public ConsoleSignIn(ConsoleSessions sessions, OperatorKey operator, Tenants tenants, Clock clock,
            ObjectMapper json) {
        this.sessions = sessions;
        this.operator = operator;
        this.tenants = tenants;
        this.clock = clock;
        this.json = json;
    }

    /** The body was checked against the contract: one string, {@code key}. */
    public Map<String, Object> signIn(@Body String body, Exchange exchange) throws JsonProcessingException {
        String key = json.readTree(body).path("key").asText("");
        Optional<String> tenant = operator.matches(key) ? Optional.empty() : tenants.authenticate(key);
        if (!operator.matches(key) && tenant.isEmpty()) {
            throw new ApiException(401, List.of(Problem.of("UNAUTHORIZED", "key",
                    "That key opens neither the console nor a tenant's portal")));
        }
        ConsoleSessions.Signed signed = sessions.open(tenant.orElse(null), key);
        exchange.setProperty(RouteProperties.CONSOLE_COOKIE, cookie(exchange, signed.cookieValue(),
                Duration.ofMillis(signed.session().expiresAt() - clock.millis())));
        return described(signed.session());
    }

    public Map<String, Object> current(Exchange exchange) {
        return described(session(exchange).orElseThrow(ConsoleSignIn::signedOut));
    }

    /** Ends the session on this browser: a page of this origin asks it (its CSRF token), or there was none. */
    public Map<String, Object> signOut(Exchange exchange) {
        Optional<ConsoleSessions.Session> session = session(exchange);
        if (session.isPresent() && !ConsoleSessions.csrfMatches(session.get(),
                exchange.getMessage().getHeader(ConsoleSessions.CSRF_HEADER, String.class))) {
            throw new ApiException(403, List.of(Problem.of("CSRF_TOKEN_MISSING",
                    ConsoleSessions.CSRF_HEADER, "Signing out is asked by the console's page, with its CSRF token")));
        }
        exchange.setProperty(RouteProperties.CONSOLE_COOKIE, cookie(exchange, "", Duration.ZERO));
        return Map.of("signedIn", false);
    }

    private static Map<String, Object> described(ConsoleSessions.Session session) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("role", session.role());
        shown.put("tenant", session.tenant());
        shown.put("expiresAt", session.expiresAt());
        shown.put("csrfToken", session.csrfToken());
        return shown;
    }

    private static Optional<ConsoleSessions.Session> session(Exchange exchange) {
        HttpServletRequest request = request(exchange);
        return Optional.ofNullable(request == null ? null
                : (ConsoleSessions.Session) request.getAttribute(ConsoleSessions.AUTHENTICATED));
    }

    private static String cookie(Exchange exchange, String value, Duration maxAge) {
        HttpServletRequest request = request(exchange);
        return ResponseCookie.from(ConsoleSessions.COOKIE, value).httpOnly(true).sameSite("Strict").path("/")
                .secure(request != null && request.isSecure()).maxAge(maxAge).build().toString();
    }

    private static HttpServletRequest request(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class);
    }

    private static ApiException signedOut() {
        return new ApiException(401, List.of(Problem.of("SIGNED_OUT", null,
                "No console session: sign in at /console")));
    }
}
