package io.mehery.gateway.web;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Envelopes;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.config.MeheryProperties;

/**
 * The first thing every request meets: it gets its trace id, and a body over {@code mehery.http.max-body} is
 * refused with 413 before any route reads it, whether or not the caller declared its length.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class HttpEdgeFilter extends OncePerRequestFilter {

    /**
     * The request attribute holding the body's bytes as they arrived, for checks that sign them (a form post is
     * parsed into parameters before any route sees it).
     */
    public static final String RAW_BODY = "mehery.rawBody";

    private final long maxBody;
    private final Envelopes envelopes;

    public HttpEdgeFilter(MeheryProperties properties, Envelopes envelopes) {
        this.maxBody = properties.http().maxBody().toBytes();
        this.envelopes = envelopes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String traceId = TraceIds.adopt(request.getHeader(TraceIds.HEADER));
        MDC.put(TraceIds.MDC_KEY, traceId);
        response.setHeader(TraceIds.HEADER, traceId);
        try {
            if (request.getContentLengthLong() > maxBody) {
                refuseTooLarge(request, response);
                return;
            }
            byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            if (body.length > maxBody) {
                refuseTooLarge(request, response);
                return;
            }
            request.setAttribute(RAW_BODY, body);
            chain.doFilter(new BufferedBodyRequest(request, body, traceId), response);
        } finally {
            MDC.remove(TraceIds.MDC_KEY);
        }
    }

    private void refuseTooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiException tooLarge = new ApiException(413, List.of(Problem.of("PAYLOAD_TOO_LARGE", "body",
                "The body is larger than the gateway accepts (" + maxBody + " bytes)")));
        response.setStatus(413);
        response.setContentType("application/json");
        response.setHeader("Connection", "close");
        response.getOutputStream().write(envelopes.toJson(envelopes.envelopeOf(tooLarge, request.getRequestURI())));
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
