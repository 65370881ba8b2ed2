package io.mehery.gateway.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import io.mehery.gateway.logging.TraceIds;

/**
 * The request with its body already read, so the size check and the route see the same bytes, and with the
 * trace id as Camel's breadcrumb id, so the routes, which run on other threads, log and answer with it.
 */
final class BufferedBodyRequest extends HttpServletRequestWrapper {
    private final byte[] body;
    private final String carriedTrace;

    BufferedBodyRequest(HttpServletRequest request, byte[] body, String carriedTrace) {
        super(request);
        this.body = body;
        this.carriedTrace = carriedTrace;
    }

    @Override
    public String getHeader(String name) {
        return TraceIds.CAMEL_HEADER.equalsIgnoreCase(name) ? carriedTrace : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return TraceIds.CAMEL_HEADER.equalsIgnoreCase(name)
                ? Collections.enumeration(List.of(carriedTrace))
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
                encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
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
