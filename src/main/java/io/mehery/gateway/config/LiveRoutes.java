package io.mehery.gateway.config;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;

/**
 * Routes that run one per configured thing (a tenant's deliveries, a mailbox, a tap), made from a route template:
 * started with the gateway, and as those things are added, changed or removed on the running gateway.
 *
 * @param <T> what a route is made from: when it changes, its route is made anew
 */
public abstract class LiveRoutes<T> implements CamelContextConfiguration, LiveConfiguration.Listener {

    private final LiveConfiguration live;
    private volatile CamelContext camel;

    protected LiveRoutes(LiveConfiguration live) {
        this.live = live;
    }

    /** The things that each run a route, by id. */
    protected abstract Map<String, T> runningIn(MeheryProperties properties);

    /** The id of the route that runs for a thing. */
    protected abstract String routeIdOf(String id);

    /** Makes and starts the route of a thing. */
    protected abstract void start(CamelContext camel, String id, T thing) throws Exception;

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        runningIn(live.current()).forEach(this::startRoute);
    }

    @Override
    public void changed(MeheryProperties previous, MeheryProperties next) {
        if (camel == null) {
            return;
        }
        Map<String, T> before = runningIn(previous);
        Map<String, T> after = runningIn(next);
        before.forEach((id, thing) -> {
            if (!thing.equals(after.get(id))) {
                stopRoute(id);
            }
        });
        after.forEach((id, thing) -> {
            if (!thing.equals(before.get(id))) {
                startRoute(id, thing);
            }
        });
    }

    private void startRoute(String id, T thing) {
        try {
            start(camel, id, thing);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start route " + routeIdOf(id) + ": " + e.getMessage(), e);
        }
    }

    private void stopRoute(String id) {
        try {
            camel.getRouteController().stopRoute(routeIdOf(id));
            camel.removeRoute(routeIdOf(id));
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop route " + routeIdOf(id), e);
        }
    }
}
