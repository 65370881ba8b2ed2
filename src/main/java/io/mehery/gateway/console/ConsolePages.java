package io.mehery.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.security.ConsoleSessions;

/**
 * The console's page and its files, read once from {@code console/} on the classpath (uPlot from its WebJar). Signed
 * in (a session the HTTP edge found valid), {@code /console} is the console; otherwise it is the sign-in form. The
 * pages hold no data and no key: everything they show comes from the API, with the session cookie.
 */
@Component("consolePages")
public class ConsolePages {

    /** Scripts and styles from this origin only; uPlot sizes its parts with inline styles. */
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private record Asset(String text, String contentType) {
    }

    private final String console = read("classpath:console/index.html");
    private final String signIn = read("classpath:console/signin.html");
    private final Map<String, Asset> assets = Map.of(
            "console.js", new Asset(read("classpath:console/console.js"), "text/javascript; charset=utf-8"),
            "signin.js", new Asset(read("classpath:console/signin.js"), "text/javascript; charset=utf-8"),
            "console.css", new Asset(read("classpath:console/console.css"), "text/css; charset=utf-8"),
            "uplot.js", new Asset(read("classpath*:META-INF/resources/webjars/uplot/*/dist/uPlot.iife.min.js"),
                    "text/javascript; charset=utf-8"),
            "uplot.css", new Asset(read("classpath*:META-INF/resources/webjars/uplot/*/dist/uPlot.min.css"),
                    "text/css; charset=utf-8"));

    public void page(Exchange exchange) {
        HttpServletRequest request = exchange.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST,
                HttpServletRequest.class);
        boolean signedIn = request != null && request.getAttribute(ConsoleSessions.AUTHENTICATED) != null;
        answer(exchange, signedIn ? console : signIn, "text/html; charset=utf-8", "no-store");
    }

    public void asset(@Header("name") String name, Exchange exchange) {
        Asset asset = assets.get(name);
        if (asset == null) {
            throw ApiException.notFound("NOT_FOUND", "name", "The console has no file " + name);
        }
        answer(exchange, asset.text(), asset.contentType(), "private, max-age=300");
    }

    private static void answer(Exchange exchange, String body, String contentType, String caching) {
        var out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
        out.setHeader("Cache-Control", caching);
        out.setHeader("Content-Security-Policy", POLICY);
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setHeader("X-Frame-Options", "DENY");
        out.setHeader("Referrer-Policy", "no-referrer");
        out.setBody(body);
    }

    private static String read(String pattern) {
        try {
            Resource[] found = new PathMatchingResourcePatternResolver().getResources(pattern);
            if (found.length == 0 || !found[0].exists()) {
                throw new IllegalStateException("The console's file " + pattern + " is missing from the build");
            }
            try (InputStream in = found[0].getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The console's file " + pattern + " cannot be read", e);
        }
    }
}
