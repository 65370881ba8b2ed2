package io.mehery.gateway.channel.website;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.ServletWebSocketHandlerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The widgets' live sockets on the gateway's own server (Spring's WebSocket support; README "Website chat" says why
 * not a Camel component). Origins are checked per channel by the handler's handshake, so Spring's own check,
 * which knows one list for all, lets every origin through to it.
 */
@Configuration
@EnableWebSocket
public class WebchatSocketConfiguration implements WebSocketConfigurer {

    private final WebchatSocketHandler handler;

    public WebchatSocketConfiguration(WebchatSocketHandler handler) {
        this.handler = handler;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        if (registry instanceof ServletWebSocketHandlerRegistry servlet) {
            // ahead of the contract's routes, which answer every path they do not serve with 404
            servlet.setOrder(Ordered.HIGHEST_PRECEDENCE);
        }
        registry.addHandler(handler, "/webhooks/website/*/live").addInterceptors(handler)
                .setAllowedOriginPatterns("*");
    }
}
