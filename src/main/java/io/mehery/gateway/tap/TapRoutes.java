package io.mehery.gateway.tap;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.config.MeheryProperties.Tap;

/**
 * One route per tap, from the {@code deliver-tap} template in routes/taps.yaml: started with the gateway, and as
 * taps are added, changed or removed on the running gateway (a removed tap's queue keeps what it had not sent).
 */
@Component
public class TapRoutes implements CamelContextConfiguration, LiveConfiguration.Listener {

    static final String TEMPLATE = "deliver-tap";
    private static final Logger LOG = LoggerFactory.getLogger(TapRoutes.class);

    private final LiveConfiguration live;
    private volatile CamelContext camel;

    public TapRoutes(LiveConfiguration live) {
        this.live = live;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        live.current().taps().forEach(this::start);
    }

    @Override
    public void changed(MeheryProperties previous, MeheryProperties next) {
        if (camel == null) {
            return;
        }
        previous.taps().forEach((name, tap) -> {
            if (!tap.equals(next.taps().get(name))) {
                stop(name);
            }
        });
        next.taps().forEach((name, tap) -> {
            if (!tap.equals(previous.taps().get(name))) {
                start(name, tap);
            }
        });
    }

    private void start(String name, Tap tap) {
        try {
            TemplatedRouteBuilder.builder(camel, TEMPLATE).routeId(TEMPLATE + "-" + name)
                    .parameter("tap", name).parameter("uri", tap.uri()).add();
            LOG.info("Tap {} sends {} to its endpoint", name, tap.events().isEmpty() ? "every event" : tap.events());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start tap " + name + ": " + e.getMessage(), e);
        }
    }

    private void stop(String name) {
        try {
            camel.getRouteController().stopRoute(TEMPLATE + "-" + name);
            camel.removeRoute(TEMPLATE + "-" + name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop tap " + name, e);
        }
    }
}
