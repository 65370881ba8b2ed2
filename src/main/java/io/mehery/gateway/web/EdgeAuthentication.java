package io.mehery.gateway.web;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.security.FailedAuthentications;
import io.mehery.gateway.security.OperatorKey;
import io.mehery.gateway.security.Tenants;

/**
 * Who sends a request, from its headers alone: a tenant's or the operator's {@code x-api-key}, a channel's header
 * credentials. A source whose credentials keep failing (a key, a token, a signature, an app's proof) is held with
 * 429 on every path that takes credentials; each failure counts toward that hold.
 */
@Component
class EdgeAuthentication {

    private final Tenants tenants;
    private final OperatorKey operator;
    private final FailedAuthentications failures;
    private final List<HeaderCredentials> headerCredentials;

    EdgeAuthentication(Tenants tenants, OperatorKey operator, FailedAuthentications failures,
            List<HeaderCredentials> headerCredentials) {
        this.tenants = tenants;
        this.operator = operator;
        this.failures = failures;
        this.headerCredentials = List.copyOf(headerCredentials);
    }

    /** A tenant's key: the tenant it names is the request's from here on ({@link Tenants#AUTHENTICATED}). */
    void tenant(HttpServletRequest request) {
        refuseHeldSource(request);
        Optional<String> tenant = tenants.authenticate(request.getHeader(ApiRequestGate.API_KEY_HEADER));
        if (tenant.isEmpty()) {
            failed(request);
            throw new EdgeRefusal(ApiException.unauthorized());
        }
        request.setAttribute(Tenants.AUTHENTICATED, tenant.get());
    }

    /** The operator's key, or else a tenant's: the operator is marked as {@link #operator} marks it. */
    void tenantOrOperator(HttpServletRequest request) {
        if (isOperator(request)) {
            refuseHeldSource(request);
            request.setAttribute(OperatorKey.AUTHENTICATED, Boolean.TRUE);
        } else {
            tenant(request);
        }
    }

    /** The operator's key, never a tenant's, for the operations that change the gateway itself. */
    void operator(HttpServletRequest request) {
        refuseHeldSource(request);
        if (!isOperator(request)) {
            failed(request);
            throw new EdgeRefusal(ApiException.unauthorized());
        }
        request.setAttribute(OperatorKey.AUTHENTICATED, Boolean.TRUE);
    }

    boolean isOperator(HttpServletRequest request) {
        return operator.matches(request.getHeader(ApiRequestGate.API_KEY_HEADER));
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
