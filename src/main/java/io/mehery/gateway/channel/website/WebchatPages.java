package io.mehery.gateway.channel.website;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * The widget's script and the demo page that embeds it, read once from {@code webchat/} on the classpath. The
 * script learns its gateway and channel from its own URL, so one file serves every channel.
 */
@Component("webchatPages")
public class WebchatPages {

    private final String widget = read("webchat/widget.js");
    private final String demo = read("webchat/demo.html");

    public void widget(Exchange exchange) {
        var out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.CONTENT_TYPE, "text/javascript; charset=utf-8");
        out.setHeader("Cache-Control", "public, max-age=300");
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setBody(widget);
    }

    public void demo(@Header("channelId") String channelId, Exchange exchange) {
        String widgetUrl = "/webchat/" + channelId + "/widget.js";
        var out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        out.setHeader("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline';"
                + " img-src 'self' https: http: data: blob:; connect-src 'self' ws: wss:");
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setBody(demo.replace("{{channelId}}", HtmlUtils.htmlEscape(channelId))
                .replace("{{widgetUrl}}", HtmlUtils.htmlEscape(widgetUrl)));
    }

    private static String read(String resource) {
        try (InputStream in = new ClassPathResource(resource).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("The webchat resource " + resource + " is missing from the build", e);
        }
    }
}
