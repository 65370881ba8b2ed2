package io.mehery.gateway.live;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.mehery.gateway.config.LiveRoutes;
import io.mehery.gateway.web.RequestHold;

/**
 * The flows in routes/*.yaml changed on a running gateway, as Camel's route reloading does not: a change is checked
 * whole first (every file loads, alone and together), then the routes it touches are built in the running Camel
 * context under other ids and not started, which resolves their endpoints, beans and methods and route
 * configurations: a route that cannot be built is refused with its reason, and the running routes are untouched.
 * Only then are the touched routes replaced, all together, while new requests wait at the edge
 * ({@link RequestHold}): each old route stops taking work and finishes what it holds (up to
 * {@code mehery.config.route-drain-timeout}; queued messages wait in the broker), the new ones start. If one fails
 * to start, the old ones come back. The new routes are then on probation ({@link RouteProbation}).
 * <p>
 * Live changes need the routes on disk ({@code mehery.routes: file:<folder>/*.yaml}); routes packaged in the jar
 * change with a new jar.
 */
@Component
public class RouteChanges {

    private static final Logger LOG = LoggerFactory.getLogger(RouteChanges.class);
    /** The ids a change's routes are built under before they replace anything. */
    private static final String BUILT = ".check";

    private final CamelContext camel;
    private final List<LiveRoutes<?>> liveRoutes;
    private final RequestHold hold;
    private final RouteProbation probation;
    private final Path folder;
    private final long drainMillis;
    /** The texts of the route files that run now, by file name. */
    private volatile SortedMap<String, String> running;

    public RouteChanges(CamelContext camel, List<LiveRoutes<?>> liveRoutes, RequestHold hold,
            RouteProbation probation, @Value("${mehery.routes}") String pattern,
            @Value("${mehery.config.route-drain-timeout:30s}") Duration drainTimeout) {
        this.camel = camel;
        this.liveRoutes = liveRoutes;
        this.hold = hold;
        this.probation = probation;
        this.folder = folderOf(pattern);
        this.drainMillis = drainTimeout.toMillis();
        this.running = folder == null ? new TreeMap<>() : RouteFiles.read(folder);
        camel.addRoutePolicyFactory(probation);
    }

    /** The folder of {@code file:<folder>/*.yaml}; none for routes packaged in the jar. */
    private static Path folderOf(String pattern) {
        String location = pattern.trim();
        if (!location.startsWith("file:") || !location.endsWith("/*.yaml")) {
            return null;
        }
        return Path.of(location.substring("file:".length(), location.length() - "/*.yaml".length()))
                .toAbsolutePath().normalize();
    }

    /** The folder of the route files, if the routes can change live. */
    public Path folder() {
        return folder;
    }

    /** The texts of the route files that run now. */
    public SortedMap<String, String> running() {
        return running;
    }

    /** The route files as they are on disk now (the running ones when the routes are packaged). */
    public SortedMap<String, String> files() {
        return folder == null ? running : RouteFiles.read(folder);
    }

    /** A change of the route files to {@code next}: what it touches, and every problem that refuses it. */
    public record Proposal(SortedMap<String, String> next, RouteFiles.Change change, List<String> problems) {
    }

    public Proposal propose(SortedMap<String, String> next) {
        RouteFiles.Change change = RouteFiles.between(running, next);
        List<String> problems = new ArrayList<>(change.problems());
        if (!change.isEmpty() && problems.isEmpty()) {
            problems.addAll(ConfigurationCheck.routeProblems(folder == null ? Path.of("routes") : folder, next));
        }
        if (!change.isEmpty() && problems.isEmpty()) {
            build(next, change).ifPresent(problems::add);
        }
        return new Proposal(next, change, List.copyOf(problems));
    }

    /**
     * Replaces the routes a checked proposal touches, then watches them; if they fail on probation,
     * {@code rolledBack} is told why after the previous routes are back.
     *
     * @throws IllegalStateException when the new routes did not start (the previous ones run again)
     */
    public synchronized void apply(Proposal proposal, Consumer<String> rolledBack) {
        if (proposal.change().isEmpty()) {
            return;
        }
        SortedMap<String, String> previous = running;
        probation.stop();
        replace(proposal.change(), proposal.next(), previous);
        running = proposal.next();
        probation.watch(touchedRoutes(proposal.change()), reason -> rollBack(proposal, previous, reason,
                rolledBack));
    }

    private void rollBack(Proposal failed, SortedMap<String, String> previous, String reason,
            Consumer<String> rolledBack) {
        synchronized (this) {
            if (running != failed.next()) {
                return;
            }
            LOG.warn("Routes changed by the last change fail on probation, rolling back: {}", reason);
            replace(failed.change(), previous, failed.next());
            running = previous;
        }
        // outside this lock: the one who records it may hold its own while it applies a change here
        rolledBack.accept(reason);
    }

    /**
     * Replaces the touched routes by those of {@code texts}; on failure puts back those of {@code undo}. Routes that
     * take work from a queue or a timer stop first (their work waits in the broker); requests are held at the edge
     * only while the routes that serve them are replaced.
     */
    private void replace(RouteFiles.Change change, SortedMap<String, String> texts,
            SortedMap<String, String> undo) {
        long started = System.nanoTime();
        Set<String> touched = touchedRoutes(change);
        List<String> serving = touched.stream().filter(this::servesRequests).toList();
        stop(touched.stream().filter(id -> !serving.contains(id)).toList());
        hold.close();
        try {
            hold.awaitRequestsInside();
            awaitIdle(serving);
            stop(serving);
            discard(change);
            try {
                install(change, texts);
            } catch (Exception failed) {
                LOG.warn("The changed routes did not start ({}); the previous routes start again",
                        ConfigurationProblems.rootMessage(failed));
                stop(touchedRoutes(change));
                discard(change);
                try {
                    install(change, undo);
                } catch (Exception again) {
                    LOG.error("The previous routes did not start again either: {}",
                            ConfigurationProblems.rootMessage(again), again);
                }
                throw new IllegalStateException(ConfigurationProblems.rootMessage(failed), failed);
            }
        } finally {
            hold.open();
        }
        LOG.info("Routes replaced in {} ms: {}", (System.nanoTime() - started) / 1_000_000, touched);
    }

    /** A route whose work comes from a request (directly, or through a {@code direct:} call), not from a queue. */
    private boolean servesRequests(String routeId) {
        Route route = camel.getRoute(routeId);
        if (route == null) {
            return false;
        }
        String uri = route.getEndpoint().getEndpointUri();
        return uri.startsWith("direct:") || uri.startsWith("platform-http:") || uri.startsWith("rest:");
    }

    /**
     * Waits, while new requests are held, until the routes have finished the exchanges they hold (Camel's own
     * graceful stop looks only once a second).
     */
    private void awaitIdle(List<String> routeIds) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
        while (routeIds.stream().anyMatch(id -> camel.getInflightRepository().size(id) > 0)
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops routes, each taking no more work and finishing what it holds (up to the drain timeout). */
    private void stop(Collection<String> routeIds) {
        try {
            for (String id : routeIds) {
                if (camel.getRoute(id) != null) {
                    camel.getRouteController().stopRoute(id, drainMillis, TimeUnit.MILLISECONDS);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("The routes to replace cannot be stopped: " + e.getMessage(), e);
        }
    }

    /** The definitions of a set of route files, read by the YAML DSL but not added to Camel. */
    private record Definitions(List<RouteConfigurationDefinition> configurations,
            List<RouteTemplateDefinition> templates, List<RouteDefinition> routes,
            List<TemplatedRouteDefinition> templatedRoutes) {
    }

    private Definitions definitionsOf(Map<String, String> texts) throws Exception {
        List<Resource> resources = new ArrayList<>();
        texts.forEach((name, text) -> resources.add(ResourceHelper.fromString("file:" + (folder == null
                ? Path.of(name) : folder.resolve(name)), text)));
        Definitions definitions = new Definitions(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(resources)) {
            if (builder instanceof RouteConfigurationBuilder configurations) {
                configurations.setCamelContext(camel);
                configurations.configuration();
                definitions.configurations().addAll(configurations.getRouteConfigurationCollection()
                        .getRouteConfigurations());
            }
            if (builder instanceof RouteBuilder routes) {
                routes.configureRoutes(camel);
                definitions.routes().addAll(routes.getRouteCollection().getRoutes());
                definitions.templates().addAll(routes.getRouteTemplateCollection().getRouteTemplates());
                definitions.templatedRoutes().addAll(routes.getTemplatedRouteCollection().getTemplatedRoutes());
            }
        }
        return definitions;
    }

    /**
     * Builds the routes a change touches, as the change would make them, under ids ending {@value #BUILT} and
     * stopped, then removes them again. Built this way, each route resolves the endpoints it sends to, the beans and
     * methods it calls and its route configuration; it takes nothing from its own endpoint (it is built on a
     * {@code direct:} endpoint of its own, and its endpoint is resolved apart), so nothing running is disturbed.
     *
     * @return why they cannot be built, if they cannot
     */
    private Optional<String> build(SortedMap<String, String> next, RouteFiles.Change change) {
        Model model = model();
        List<String> consumers = new ArrayList<>();
        try {
            Definitions built = definitionsOf(next);
            List<TemplatedRouteDefinition> templatedRoutes = only(built.templatedRoutes(), change.routes(),
                    TemplatedRouteDefinition::getRouteId);
            // a templated route is built from its template as the change has it, changed or not
            Set<String> templates = new LinkedHashSet<>(change.templates());
            templatedRoutes.forEach(templated -> templates.add(templated.getRouteTemplateRef()));
            for (RouteConfigurationDefinition configuration : only(built.configurations(), change.configurations(),
                    RouteConfigurationDefinition::getId)) {
                configuration.setId(configuration.getId() + BUILT);
                model.addRouteConfiguration(configuration);
            }
            for (RouteTemplateDefinition template : only(built.templates(), templates,
                    RouteTemplateDefinition::getId)) {
                template.setId(template.getId() + BUILT);
                consumers.add(asBuilt(template.getRoute(), template.getId(), change));
                model.addRouteTemplateDefinition(template);
            }
            List<RouteDefinition> routes = only(built.routes(), change.routes(), RouteDefinition::getId);
            for (RouteDefinition route : routes) {
                route.setId(route.getId() + BUILT);
                consumers.add(asBuilt(route, route.getId(), change));
            }
            model.addRouteDefinitions(routes);
            for (TemplatedRouteDefinition templated : templatedRoutes) {
                templated.setRouteId(templated.getRouteId() + BUILT);
                templated.setRouteTemplateRef(templated.getRouteTemplateRef() + BUILT);
                model.addRouteFromTemplatedRoute(templated);
            }
            for (LiveRoutes<?> live : liveRoutesOf(change)) {
                live.build(live.template() + BUILT, BUILT);
            }
            for (String consumer : consumers) {
                resolveConsumer(consumer);
            }
            return Optional.empty();
        } catch (Exception cannot) {
            return Optional.of("routes: the changed routes cannot be built: "
                    + ConfigurationProblems.rootMessage(cannot));
        } finally {
            removeBuilt(model);
        }
    }

    /**
     * A route built to check it: stopped, on a {@code direct:} endpoint of its own, with the route configurations of
     * the change as they would be.
     *
     * @return the endpoint it consumes from in the change
     */
    private static String asBuilt(RouteDefinition route, String builtId, RouteFiles.Change change) {
        route.setAutoStartup("false");
        String configuration = route.getRouteConfigurationId();
        if (configuration != null && change.configurations().contains(configuration)) {
            route.setRouteConfigurationId(configuration + BUILT);
        }
        String consumer = route.getInput().getEndpointUri();
        route.getInput().setUri("direct:" + builtId);
        return consumer;
    }

    /**
     * The endpoint a changed route consumes from exists and takes its options; one made from a template's
     * parameters is known only when the template is used, and only its component is checked.
     */
    private void resolveConsumer(String uri) throws Exception {
        if (uri.contains("{{")) {
            String scheme = uri.substring(0, Math.max(uri.indexOf(':'), 0));
            if (camel.getComponent(scheme) == null) {
                throw new IllegalArgumentException("No component found for " + scheme + ": in " + uri);
            }
        } else {
            camel.getEndpoint(uri);
        }
    }

    private void removeBuilt(Model model) {
        Predicate<String> built = id -> id != null && id.endsWith(BUILT);
        try {
            for (RouteDefinition route : List.copyOf(model.getRouteDefinitions())) {
                if (built.test(route.getId())) {
                    model.removeRouteDefinition(route);
                }
            }
            for (Route route : List.copyOf(camel.getRoutes())) {
                if (built.test(route.getRouteId())) {
                    camel.removeRoute(route.getRouteId());
                }
            }
            for (RouteTemplateDefinition template : List.copyOf(model.getRouteTemplateDefinitions())) {
                if (built.test(template.getId())) {
                    model.removeRouteTemplateDefinition(template);
                }
            }
            for (RouteConfigurationDefinition configuration : List.copyOf(model
                    .getRouteConfigurationDefinitions())) {
                if (built.test(configuration.getId())) {
                    model.removeRouteConfiguration(configuration);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("The routes built to check a change cannot be removed", e);
        }
    }

    /** Removes the touched routes (stopped) and the templates and route configurations they were made from. */
    private void discard(RouteFiles.Change change) {
        Model model = model();
        try {
            for (String id : touchedRoutes(change)) {
                RouteDefinition definition = model.getRouteDefinition(id);
                if (definition != null) {
                    model.removeRouteDefinition(definition);
                } else {
                    camel.removeRoute(id);
                }
            }
            for (String id : change.templates()) {
                RouteTemplateDefinition template = model.getRouteTemplateDefinition(id);
                if (template != null) {
                    model.removeRouteTemplateDefinition(template);
                }
            }
            for (String id : change.configurations()) {
                RouteConfigurationDefinition configuration = model.getRouteConfigurationDefinition(id);
                if (configuration != null) {
                    model.removeRouteConfiguration(configuration);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("The routes to replace cannot be removed: " + e.getMessage(), e);
        }
    }

    /** Adds and starts the touched routes as {@code texts} define them. */
    private void install(RouteFiles.Change change, Map<String, String> texts) throws Exception {
        Model model = model();
        Definitions definitions = definitionsOf(texts);
        model.addRouteConfigurations(only(definitions.configurations(), change.configurations(),
                RouteConfigurationDefinition::getId));
        model.addRouteTemplateDefinitions(only(definitions.templates(), change.templates(),
                RouteTemplateDefinition::getId));
        model.addRouteDefinitions(only(definitions.routes(), change.routes(), RouteDefinition::getId));
        for (TemplatedRouteDefinition templated : only(definitions.templatedRoutes(), change.routes(),
                TemplatedRouteDefinition::getRouteId)) {
            model.addRouteFromTemplatedRoute(templated);
        }
        liveRoutesOf(change).forEach(LiveRoutes::remake);
    }

    /** The routes a change replaces: its own, and those made from its templates by the gateway. */
    private Set<String> touchedRoutes(RouteFiles.Change change) {
        Set<String> routes = new LinkedHashSet<>(change.routes());
        liveRoutesOf(change).forEach(live -> routes.addAll(live.routeIds()));
        return routes;
    }

    /** The gateway's own routes made from a template the change replaces. */
    private List<LiveRoutes<?>> liveRoutesOf(RouteFiles.Change change) {
        return liveRoutes.stream().filter(live -> change.templates().contains(live.template())).toList();
    }

    private static <T> List<T> only(Collection<T> definitions, Set<String> ids,
            Function<T, String> idOf) {
        return definitions.stream().filter(definition -> ids.contains(idOf.apply(definition))).toList();
    }

    private Model model() {
        return camel.getCamelContextExtension().getContextPlugin(Model.class);
    }
}
