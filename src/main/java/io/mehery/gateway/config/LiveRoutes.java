package io.mehery.gateway.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;

/**
 * Routes that run one per configured thing (a tenant's deliveries, a mailbox, a tap), made from a route template:
 * started with the gateway, and as those things are added, changed or removed on the running gateway; made anew
 * when their template in routes/ changes.
 *
 * @param <T> what a route is made from: when it changes, its route is made anew
 */
public abstract class LiveRoutes<T> implements CamelContextConfiguration, LiveConfiguration.Listener {

    private final LiveConfiguration live;
    private final String template;
    private volatile CamelContext camel;

    protected LiveRoutes(LiveConfiguration live, String template) {
        this.live = live;
        this.template = template;
    }

    /** The things that each run a route, by id. */
    protected abstract Map<String, T> runningIn(MeheryProperties properties);

    /** The template's parameters for a thing's route. */
    protected abstract Map<String, Object> parametersOf(String id, T thing);

    /** What follows once a thing's route runs. */
    protected void started(CamelContext camel, String id, T thing) throws Exception {
    }

    /** The route template these routes are made from. */
    public String template() {
        return template;
    }

    /** The id of the route that runs for a thing. */
    protected String routeIdOf(String id) {
        return template + "-" + id;
    }

    /** The ids of the routes running now. */
    public Set<String> routeIds() {
        Set<String> ids = new TreeSet<>();
        runningIn(live.current()).keySet().forEach(id -> ids.add(routeIdOf(id)));
        return ids;
    }

    /** Makes, without starting them, the routes of the running things from another template, their ids suffixed. */
    public void build(String otherTemplate, String suffix) throws Exception {
        for (var thing : runningIn(live.current()).entrySet()) {
            add(otherTemplate, routeIdOf(thing.getKey()) + suffix, parametersOf(thing.getKey(), thing.getValue()));
        }
    }

    /** Starts every route anew from the template as it is now (its old routes are already removed). */
    public void remake() {
        runningIn(live.current()).forEach(this::startRoute);
    }

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

    private void add(String fromTemplate, String routeId, Map<String, Object> parameters) throws Exception {
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(camel, fromTemplate).routeId(routeId);
        parameters.forEach(builder::parameter);
        builder.add();
    }

    private void startRoute(String id, T thing) {
        try {
            add(template, routeIdOf(id), parametersOf(id, thing));
            started(camel, id, thing);
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
