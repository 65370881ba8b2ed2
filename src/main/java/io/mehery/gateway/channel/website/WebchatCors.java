package io.mehery.gateway.channel.website;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Envelopes;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.logging.TraceIds;
import io.mehery.gateway.web.HttpEdgeFilter;

/**
 * CORS for the widget's API, per website channel, before anything else reads the request: a page whose
 * {@code Origin} the channel does not allow is answered 403 (its preflight too), an allowed one gets the CORS
 * headers its browser asks for. A request without {@code Origin} (the gateway's own page reading with GET, or a
 * server) goes on: its visitor token is what lets it in.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class WebchatCors extends OncePerRequestFilter {

    private static final String PREFLIGHT_MAX_AGE_SECONDS = "600";

    private final WebchatOrigins origins;
    private final Envelopes envelopes;

    public WebchatCors(WebchatOrigins origins, Envelopes envelopes) {
        this.origins = origins;
        this.envelopes = envelopes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getHeader(HttpHeaders.ORIGIN) == null || !request.getRequestURI().startsWith("/webhooks/website/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Channel> channel = origins.channelOf(request.getRequestURI());
        if (channel.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (!origins.allows(channel.get(), origin, request.getHeader(HttpHeaders.HOST))) {
            refuse(request, response);
            return;
        }
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        if ("OPTIONS".equals(request.getMethod())
                && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null) {
            response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST");
            response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type");
            response.setHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECONDS);
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String traceId = TraceIds.adopt(request.getHeader(TraceIds.HEADER));
        response.setHeader(TraceIds.HEADER, traceId);
        ApiException refused = new ApiException(403, List.of(Problem.of("ORIGIN_NOT_ALLOWED", "Origin",
                "This page's origin may not use this channel's chat widget (mehery.channels.<id>.allowed-origins)")));
        HttpEdgeFilter.refuseUnread(request, response, refused, null, request.getRequestURI(), traceId, envelopes);
    }
}
