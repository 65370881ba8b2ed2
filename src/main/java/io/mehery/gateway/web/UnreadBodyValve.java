package io.mehery.gateway.web;

import java.io.IOException;

import jakarta.servlet.ServletException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * After a request refused with its body unread ({@link HttpEdgeFilter#UNREAD_BODY}), tells Tomcat to close the
 * connection rather than read the rest of the body: by default it drains what the client declared, at the
 * client's pace, on a server thread, which is what a slow-body attack counts on.
 */
@Component
public class UnreadBodyValve extends ValveBase implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    public UnreadBodyValve() {
        super(true);
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextValves(this);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        try {
            getNext().invoke(request, response);
        } finally {
            if (request.getAttribute(HttpEdgeFilter.UNREAD_BODY) != null) {
                request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
                // closing marks the exchange as failed, and Tomcat would then render the error page too: the
                // refusal was already written, so that report is done
                response.setErrorReported();
            }
        }
    }
}
