package io.mehery.gateway.web;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.ContractOperations;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.security.Channels;

/**
 * Where a request goes, decided from its request line and headers: the contract's operation for its method and
 * path, or a route file's own endpoint ({@link RouteEndpoints}), else 404/405 (401 first for an unknown
 * {@code /api/} path without a valid key, so that a stranger learns nothing of the paths); the credentials the
 * destination asks for ({@link EdgeAuthentication}); and, for a provider's webhook or a chat widget's page, that it
 * names a configured channel of its type.
 */
@Component
class ContractRouting {

    /** routes/bench-ceiling.yaml: the stack's own ceiling, served only when bench/run.py turns it on. */
    private static final String BENCH_CEILING = "/bench/ceiling";
    private static final String METRICS = "/actuator/prometheus";
    /** The console's pages and its sessions: open, each page decides by the session the edge found. */
    private static final String CONSOLE = "/console";
    private static final Pattern BAD_PERCENT_ENCODING = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    /** A chat widget's live socket: served by Spring's WebSocket support, not by the contract's routes. */
    private static final Pattern WEBCHAT_SOCKET = Pattern.compile("/webhooks/website/[^/]+/live");

    private final ContractOperations contract;
    private final RouteEndpoints routeEndpoints;
    private final EdgeAuthentication authentication;
    private final Channels channels;
    private final boolean benchCeiling;
    private final boolean metricsNeedKey;

    ContractRouting(ContractOperations contract, RouteEndpoints routeEndpoints, EdgeAuthentication authentication,
            Channels channels, MeheryProperties properties,
            @Value("${mehery.bench.ceiling-route:false}") boolean benchCeiling) {
        this.contract = contract;
        this.routeEndpoints = routeEndpoints;
        this.authentication = authentication;
        this.channels = channels;
        this.benchCeiling = benchCeiling;
        this.metricsNeedKey = properties.admin().metricsNeedKey();
    }

    /** The request's destination, its caller authenticated as the destination asks; refused with an EdgeRefusal. */
    ContractOperations.Found admit(HttpServletRequest request, String path) {
        String query = request.getQueryString();
        if (query != null && BAD_PERCENT_ENCODING.matcher(query).find()) {
            throw new EdgeRefusal(ApiException.badRequest("INVALID_QUERY", "query",
                    "The query string has a '%' that is not followed by two hex digits"));
        }
        if (metricsNeedKey && path.startsWith(METRICS)) {
            authentication.operator(request);
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
            authentication.tenant(request);
        } else if (found == ContractOperations.Found.NO_METHOD && path.startsWith("/api/")) {
            // a 405 would tell a stranger that the path exists: any key of the gateway first
            authentication.tenantOrOperator(request);
        } else if (found == ContractOperations.Found.OPEN && path.startsWith("/webhooks/")) {
            authentication.refuseHeldSource(request);
        } else if (found == ContractOperations.Found.OPEN
                && (path.equals(CONSOLE) || path.startsWith(CONSOLE + "/"))) {
            // a sign-in takes a key: a source whose keys keep failing is held here too
            authentication.refuseHeldSource(request);
            authentication.consoleSession(request);
        }
        return switch (found) {
            case NO_PATH -> throw new EdgeRefusal(ApiException.notFound("NOT_FOUND", null, "No such endpoint"));
            case NO_METHOD -> throw methodNotAllowed(request);
            case OPEN -> {
                requireConfiguredChannel(path);
                yield found;
            }
            case KEYED -> found;
            case TENANT_OR_ADMIN -> {
                authentication.tenantOrOperator(request);
                yield found;
            }
            case ADMIN -> {
                authentication.operator(request);
                yield found;
            }
        };
    }

    /** Health and metrics: status for anyone, details only for the operator's key. */
    static boolean isActuator(String path) {
        return path.equals("/actuator") || path.startsWith("/actuator/");
    }

    /**
     * An endpoint of a route file's own: the tenant's key unless its route is public, and the same limits on the
     * body, the unauthenticated reads and the failing sources as the contract's endpoints.
     */
    private ContractOperations.Found admitRouteEndpoint(HttpServletRequest request, ContractOperations.Found found) {
        switch (found) {
            case KEYED -> authentication.tenant(request);
            case OPEN -> authentication.refuseHeldSource(request);
            default -> {
                authentication.tenantOrOperator(request);
                throw methodNotAllowed(request);
            }
        }
        return found;
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
            throw new EdgeRefusal(notConfigured);
        }
    }

    private static EdgeRefusal methodNotAllowed(HttpServletRequest request) {
        String method = request.getMethod();
        // the answer repeats the method only when it is a token of letters
        return EdgeRefusal.of(405, "METHOD_NOT_ALLOWED", null, "This endpoint does not take "
                + (method.matches("[A-Z]{1,16}") ? method : "this method"), null);
    }
}
