package io.mehery.gateway.tap;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.LiveRoutes;
import io.mehery.gateway.config.MeheryProperties.Tap;
import io.mehery.gateway.config.MeheryProperties;

/**
 * One route per tap, from the {@code deliver-tap} template in routes/taps.yaml, following the taps as they are added,
 * changed or removed (a removed tap's queue keeps what it had not sent).
 */
@Component
public class TapRoutes extends LiveRoutes<Tap> {

    static final String TEMPLATE = "deliver-tap";
    private static final Logger LOG = LoggerFactory.getLogger(TapRoutes.class);

    public TapRoutes(LiveConfiguration live) {
        super(live, TEMPLATE);
    }

    @Override
    protected Map<String, Tap> runningIn(MeheryProperties properties) {
        return properties.taps();
    }

    @Override
    protected Map<String, Object> parametersOf(String name, Tap tap) {
        return Map.of("tap", name, "uri", TapEndpoints.endpointOf(tap.uri()));
    }

    @Override
    protected void started(CamelContext camel, String name, Tap tap) {
        LOG.info("Tap {} sends {} to its endpoint", name, tap.events().isEmpty() ? "every event" : tap.events());
    }
}
