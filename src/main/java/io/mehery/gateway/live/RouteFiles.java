package io.mehery.gateway.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The flows in routes/*.yaml as texts, and what a change to them touches, item by item: a route or templated route
 * that changed is replaced; a route template that changed has every route made from it replaced, and a route
 * configuration (error handling) every route that names it. What else the YAML DSL can hold (rest, beans,
 * interceptors) is read at start only, and a change to it is refused.
 */
final class RouteFiles {

    static final String ROUTE = "route";
    static final String TEMPLATE = "routeTemplate";
    static final String TEMPLATED_ROUTE = "templatedRoute";
    static final String CONFIGURATION = "routeConfiguration";
    private static final String PLATFORM_HTTP = "platform-http:";

    private RouteFiles() {
    }

    /** One top-level entry of a route file. */
    record Item(String file, String kind, String id, Object body) {

        String routeConfigurationId() {
            Object route = TEMPLATE.equals(kind) ? field(body, ROUTE) : body;
            return ROUTE.equals(kind) || TEMPLATE.equals(kind) ? (String) field(route, "routeConfigurationId") : null;
        }

        String templateRef() {
            return TEMPLATED_ROUTE.equals(kind) ? (String) field(body, "routeTemplateRef") : null;
        }

        String key() {
            return kind + " " + id;
        }

        /**
         * The HTTP endpoint a route serves of its own ({@code from: platform-http:<path>}): its methods, path and
         * who may call it (the route group {@code public}: anyone; else a tenant's x-api-key); null for none.
         */
        String endpoint() {
            Object from = field(body, "from");
            Object uri = field(from, "uri");
            if (!ROUTE.equals(kind) || !(uri instanceof String text) || !text.startsWith(PLATFORM_HTTP)) {
                return null;
            }
            String path = text.substring(PLATFORM_HTTP.length()).split("\\?", 2)[0];
            Object methods = field(field(from, "parameters"), "httpMethodRestrict");
            return (methods == null ? "" : methods + " ") + path + ("public".equals(field(body, "group"))
                    ? " (public)" : " (x-api-key)");
        }

        String describe() {
            return switch (kind) {
                case ROUTE, TEMPLATED_ROUTE -> "route " + id;
                case TEMPLATE -> "route template " + id;
                case CONFIGURATION -> "route configuration " + id;
                default -> kind + " " + id;
            };
        }

        private static Object field(Object map, String name) {
            return map instanceof Map<?, ?> fields ? fields.get(name) : null;
        }
    }

    /**
     * What a change of route files touches.
     *
     * @param routes the ids of the routes replaced, added or removed (file routes and templated routes)
     * @param templates the route templates replaced: every route made from one is made anew
     * @param configurations the route configurations replaced
     */
    record Change(List<String> changes, Set<String> routes, Set<String> templates, Set<String> configurations,
            List<String> problems) {

        boolean isEmpty() {
            return changes.isEmpty();
        }
    }

    /** The *.yaml files of a folder, by name, in name order. */
    static SortedMap<String, String> read(Path folder) {
        SortedMap<String, String> texts = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).toList()) {
                texts.put(file.getFileName().toString(), Files.readString(file));
            }
        } catch (IOException e) {
            throw new IllegalStateException("The route folder " + folder + " cannot be read: " + e.getMessage(), e);
        }
        return texts;
    }

    static Change between(Map<String, String> running, Map<String, String> next) {
        List<String> problems = new ArrayList<>();
        Map<String, Item> before = items(running, problems);
        Map<String, Item> after = items(next, problems);
        List<String> changes = new ArrayList<>();
        Set<String> routes = new TreeSet<>();
        Set<String> templates = new TreeSet<>();
        Set<String> configurations = new TreeSet<>();
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            Item old = before.get(key);
            Item now = after.get(key);
            if (old != null && now != null && Objects.equals(old.body(), now.body())) {
                continue;
            }
            Item item = now != null ? now : old;
            changes.add(item.describe() + (old == null ? " added" : now == null ? " removed" : " changed") + " ("
                    + item.file() + ")");
            String endpointBefore = old == null ? null : old.endpoint();
            String endpointAfter = now == null ? null : now.endpoint();
            if (!Objects.equals(endpointBefore, endpointAfter)) {
                if (endpointBefore != null) {
                    changes.add("HTTP endpoint " + endpointBefore + " removed");
                }
                if (endpointAfter != null) {
                    changes.add("HTTP endpoint " + endpointAfter + " added");
                }
            }
            switch (item.kind()) {
                case ROUTE, TEMPLATED_ROUTE -> routes.add(item.id());
                case TEMPLATE -> templates.add(item.id());
                case CONFIGURATION -> configurations.add(item.id());
                default -> problems.add("routes/" + item.file() + ": " + item.describe() + " cannot change on a"
                        + " running gateway: restart it with the new routes");
            }
        }
        List<Item> all = new ArrayList<>(before.values());
        all.addAll(after.values());
        for (Item item : all) {
            if (TEMPLATE.equals(item.kind()) && isIn(configurations, item.routeConfigurationId())) {
                templates.add(item.id());
            }
        }
        for (Item item : all) {
            if (ROUTE.equals(item.kind()) && isIn(configurations, item.routeConfigurationId())
                    || TEMPLATED_ROUTE.equals(item.kind()) && isIn(templates, item.templateRef())) {
                routes.add(item.id());
            }
        }
        return new Change(changes, routes, templates, configurations, problems);
    }

    private static boolean isIn(Set<String> ids, String id) {
        return id != null && ids.contains(id);
    }

    /** Every item of the files by kind and id; a file that is not YAML is a problem (its items are left out). */
    private static Map<String, Item> items(Map<String, String> texts, List<String> problems) {
        Map<String, Item> items = new LinkedHashMap<>();
        texts.forEach((file, text) -> {
            Object document;
            try {
                document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            } catch (RuntimeException notYaml) {
                problems.add("routes/" + file + ": not YAML: " + notYaml.getMessage().lines().findFirst().orElse(""));
                return;
            }
            List<?> entries = document instanceof List<?> list ? list : List.of();
            for (int index = 0; index < entries.size(); index++) {
                if (entries.get(index) instanceof Map<?, ?> entry && entry.size() == 1) {
                    var only = entry.entrySet().iterator().next();
                    String kind = String.valueOf(only.getKey());
                    Item item = new Item(file, kind, idOf(kind, only.getValue(), file, index), only.getValue());
                    items.put(item.key(), item);
                }
            }
        });
        return items;
    }

    private static String idOf(String kind, Object body, String file, int index) {
        Object id = body instanceof Map<?, ?> fields
                ? fields.get(TEMPLATED_ROUTE.equals(kind) ? "routeId" : "id") : null;
        return id != null ? id.toString() : file + "#" + (index + 1);
    }
}
