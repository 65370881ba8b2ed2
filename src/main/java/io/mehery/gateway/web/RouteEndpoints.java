package io.mehery.gateway.web;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ContractOperations;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.security.Tenants;

/**
 * The HTTP endpoints that route files add of their own ({@code from: platform-http:/crm-hook}), beside the
 * contract's: known from the running routes, so a route added, changed or removed on the running gateway is served,
 * or not, from that moment. Such an endpoint takes the tenant's {@code x-api-key}, unless its route is in the group
 * {@value #PUBLIC} (it checks its caller on its own, a signature say).
 */
@Component("routeEndpoints")
public class RouteEndpoints {

    /** The route group of the endpoints that need no key. */
    public static final String PUBLIC = "public";
    private static final Pattern PARAMETER = Pattern.compile("\\{[^/}]+}");

    private final CamelContext camel;

    public RouteEndpoints(CamelContext camel) {
        this.camel = camel;
    }

    /**
     * What the running route endpoints say of a method and path: {@link ContractOperations.Found#OPEN} for a public
     * one, {@link ContractOperations.Found#KEYED} for one that takes the tenant's key,
     * {@link ContractOperations.Found#NO_METHOD} for a path served with other methods; empty when none serves it.
     */
    public Optional<ContractOperations.Found> find(String method, String path) {
        if (!(camel.hasComponent("platform-http") instanceof PlatformHttpComponent http)) {
            return Optional.empty();
        }
        Optional<ContractOperations.Found> found = Optional.empty();
        for (HttpEndpointModel endpoint : http.getHttpEndpoints()) {
            Optional<Route> route = routeOf(endpoint);
            if (route.isEmpty() || !matches(endpoint.getUri(), path)) {
                continue;
            }
            if (!takes(endpoint.getVerbs(), method)) {
                found = Optional.of(ContractOperations.Found.NO_METHOD);
                continue;
            }
            return Optional.of(PUBLIC.equals(route.get().getGroup()) ? ContractOperations.Found.OPEN
                    : ContractOperations.Found.KEYED);
        }
        return found;
    }

    /**
     * A step for a keyed endpoint's route ({@code bean: {ref: routeEndpoints, method: tenant}}): the tenant whose
     * key the edge checked, as the exchange property {@value RouteProperties#TENANT}.
     */
    public void tenant(Exchange exchange) {
        HttpServletRequest request = exchange.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST,
                HttpServletRequest.class);
        if (request != null && request.getAttribute(Tenants.AUTHENTICATED) instanceof String tenant) {
            exchange.setProperty(RouteProperties.TENANT, tenant);
        }
    }

    /** The route a route file added for the endpoint; not the contract's, which the REST DSL made. */
    private Optional<Route> routeOf(HttpEndpointModel endpoint) {
        if (endpoint.getConsumer() == null) {
            return Optional.empty();
        }
        return camel.getRoutes().stream()
                .filter(route -> route.getEndpoint() == endpoint.getConsumer().getEndpoint()
                        && !route.isCreatedByRestDsl())
                .findFirst();
    }

    private static boolean matches(String template, String path) {
        String[] literals = PARAMETER.split(template, -1);
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < literals.length; i++) {
            pattern.append(Pattern.quote(literals[i]));
            if (i < literals.length - 1) {
                pattern.append("[^/]+");
            }
        }
        return Pattern.matches(pattern.toString(), path);
    }

    /** A route without httpMethodRestrict takes every method. */
    private static boolean takes(String verbs, String method) {
        if (verbs == null || verbs.isBlank()) {
            return true;
        }
        for (String verb : verbs.split(",")) {
            if (verb.trim().toUpperCase(Locale.ROOT).equals(method.toUpperCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
