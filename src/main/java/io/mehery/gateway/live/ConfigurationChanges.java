package io.mehery.gateway.live;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.broker.ClusterBroadcasts;
import io.mehery.gateway.config.ClusterInstance;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.security.Digests;
import io.mehery.gateway.store.ConfigInstanceStore;
import io.mehery.gateway.store.ConfigVersionStore.Version;
import io.mehery.gateway.store.ConfigVersionStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The operator's changes to a running gateway ({@code /api/v1/admin/config/**}), as decK treats a declared state and
 * Envoy a bad configuration: a change is validated whole first (the configuration rules, and no key that needs a
 * restart), refused with every problem named while the running configuration keeps serving, or put in place at once.
 * Every change is a version, applied or refused, with its source, time and changes; a log line and a metric each.
 * At start the files are the configuration, unless a change applied through the API since they were last changed:
 * that one is run again.
 */
@Component("configurationChanges")
public class ConfigurationChanges {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationChanges.class);
    static final String REFUSED = "refused";
    static final String FAILED = "failed";
    static final String ROLLED_BACK = Version.ROLLED_BACK;
    private static final int VERSIONS_SHOWN = 100;

    private final LiveConfiguration live;
    private final RouteChanges routes;
    private final ConfigurationDocuments documents;
    private final ConfigVersionStore versions;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ConfigInstanceStore instances;
    private final ClusterInstance instance;
    private final ClusterBroadcasts broadcasts;
    private final String announcements;
    private final Duration followEvery;
    /** The fingerprint of the configuration the files described when they were last read. */
    private volatile String filesFingerprint;
    /** The version this instance runs. */
    private volatile long running;
    /** Why this instance does not run the cluster's newest version (empty when it does). */
    private volatile List<String> notRunning = List.of();
    /** The newest version this instance could not run: tried once, not again until a newer one comes. */
    private long couldNotRun;
    private final long startedAt;

    public ConfigurationChanges(LiveConfiguration live, RouteChanges routes, ConfigurationDocuments documents,
            ConfigVersionStore versions, ObjectMapper json, Clock clock, MeterRegistry meters,
            ConfigInstanceStore instances, ClusterInstance instance, ClusterBroadcasts broadcasts,
            @Value("${mehery.cluster.configuration-topic}") String announcements,
            @Value("${mehery.cluster.follow-every}") Duration followEvery) {
        this.instances = instances;
        this.instance = instance;
        this.broadcasts = broadcasts;
        this.announcements = announcements;
        this.followEvery = followEvery;
        this.startedAt = clock.millis();
        Gauge.builder("mehery.config.version", this, changes -> changes.running)
                .description("The configuration version this instance runs").register(meters);
        this.live = live;
        this.routes = routes;
        this.documents = documents;
        this.versions = versions;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * What would become of the running configuration, and whether it may: nothing is changed.
     *
     * @param routes the change of the route files, if the route files are part of it
     */
    private record Proposal(MeheryProperties next, RouteChanges.Proposal routes, List<String> changes,
            List<String> problems) {

        boolean changesRoutes() {
            return routes != null && !routes.change().isEmpty();
        }
    }

    /**
     * POST validate: a dry run of a document, or without one of the files (configuration and routes); {@code valid},
     * the changes, and every problem.
     */
    public Map<String, Object> validate(@Body String document) {
        Proposal proposal = document == null || document.isBlank()
                ? propose(documents::fromFiles, routes.files(), false)
                : propose(() -> documents.fromDocument(document), null, true);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("valid", proposal.problems().isEmpty());
        answer.put("changes", proposal.changes());
        answer.put("problems", proposal.problems());
        if (document != null && !document.isBlank()) {
            answer.put("problemLines", documents.linesOf(document, proposal.problems()));
        }
        return answer;
    }

    /**
     * GET versions/{version}/diff: what running that version again would change in the running configuration (its
     * route files named when they differ); nothing is changed.
     */
    public Map<String, Object> versionDiff(@Header("version") long version) {
        Version earlier = versions.find(version).filter(v -> v.document() != null).orElseThrow(() ->
                ApiException.notFound("VERSION_NOT_FOUND", "version", "No configuration version " + version
                        + " that ran"));
        List<String> changes = new ArrayList<>(ConfigurationDiff.between(live.current(),
                documents.fromDocument(earlier.document())));
        if (earlier.routes() != null) {
            SortedMap<String, String> running = routes.running();
            SortedSet<String> files = new TreeSet<>(running.keySet());
            files.addAll(earlier.routes().keySet());
            files.forEach(file -> {
                String now = running.get(file);
                String then = earlier.routes().get(file);
                if (now == null || then == null || !now.equals(then)) {
                    changes.add("routes/" + file + (now == null ? " added" : then == null ? " removed" : " changed"));
                }
            });
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("version", version);
        answer.put("changes", changes);
        return answer;
    }

    /** GET diff: what applying the files (configuration, routes) as they are now would change, and whether it may. */
    public Map<String, Object> diff() {
        Proposal proposal = propose(documents::fromFiles, routes.files(), false);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("changes", proposal.changes());
        answer.put("problems", proposal.problems());
        return answer;
    }

    /** POST apply: the document sent, or without one the files (configuration and routes) as they are now. */
    public synchronized Map<String, Object> apply(@Body String document) {
        boolean fromFiles = document == null || document.isBlank();
        Proposal proposal = fromFiles ? propose(documents::fromFiles, routes.files(), false)
                : propose(() -> documents.fromDocument(document), null, true);
        if (fromFiles && proposal.problems().isEmpty()) {
            filesFingerprint = fingerprint(proposal.next());
        }
        return put(proposal, fromFiles ? "file" : "api");
    }

    /** POST rollback/{version}: a version that ran, run again (validated again: the rules may have changed). */
    public synchronized Map<String, Object> rollback(@Header("version") long version) {
        Version earlier = versions.find(version).filter(v -> v.document() != null).orElseThrow(() ->
                ApiException.notFound("VERSION_NOT_FOUND", "version", "No configuration version " + version
                        + " that ran"));
        return put(propose(() -> documents.fromDocument(earlier.document()), earlier.routes(), true), "rollback");
    }

    /** GET versions: the newest first, with their changes and problems (never their documents). */
    public List<Map<String, Object>> versions() {
        List<Map<String, Object>> shown = new ArrayList<>();
        for (Version version : versions.all(VERSIONS_SHOWN)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("version", version.version());
            entry.put("createdAt", version.createdAt());
            entry.put("source", version.source());
            entry.put("outcome", version.outcome());
            entry.put("changes", version.changes());
            entry.put("problems", version.problems());
            shown.add(entry);
        }
        return shown;
    }

    /** At start: the version the gateway runs is recorded, or a change made through the API since is run again. */
    @EventListener(ApplicationReadyEvent.class)
    public synchronized void started() {
        MeheryProperties started = live.current();
        filesFingerprint = fingerprint(started);
        var latest = versions.latestApplied();
        if (latest.isPresent() && !latest.get().source().equals("start") && !latest.get().source().equals("file")
                && filesFingerprint.equals(latest.get().base())) {
            Proposal again = propose(() -> documents.fromDocument(latest.get().document()), null, true);
            if (again.problems().isEmpty()) {
                live.replace(again.next());
                LOG.info("Configuration version {} ({}) runs again: the files have not changed since it was applied",
                        latest.get().version(), latest.get().source());
                nowRunning(latest.get().version(), List.of());
                return;
            }
            LOG.warn("Configuration version {} cannot run again ({}); the files' configuration runs",
                    latest.get().version(), String.join("; ", again.problems()));
        }
        String document = documentText(started);
        if (latest.isEmpty() || !document.equals(latest.get().document()) || latest.get().routes() != null
                && !latest.get().routes().equals(routes.running())) {
            List<String> changes = latest.isEmpty() ? List.of("the configuration the gateway started with")
                    : List.of("the configuration files at start");
            long version = versions.add(clock.millis(), "start", Version.APPLIED, changes, List.of(),
                    filesFingerprint, document, routes.running());
            LOG.info("Configuration version {}: the files at start", version);
            nowRunning(version, List.of());
        } else {
            nowRunning(latest.get().version(), List.of());
        }
    }

    /**
     * The cluster's newest version, run here too when another instance applied it (told on the configuration topic,
     * or found by the look every {@code mehery.cluster.follow-every}): its tenants, channels and templates, and the
     * route files of the newest version since the one running here that changed them, validated here as an apply
     * is. One this instance cannot run (a key that needs a restart, a route whose class it lacks) is reported with its
     * problems while the version before keeps serving. Each look also tells the cluster this instance is alive.
     */
    public synchronized void follow() {
        Optional<Version> newest = versions.latestForTheCluster();
        if (newest.isEmpty() || newest.get().version() <= running || newest.get().version() == couldNotRun
                || newest.get().document() == null) {
            nowRunning(running, notRunning);
            return;
        }
        Version next = newest.get();
        SortedMap<String, String> routeFiles = versions.routesBetween(running, next.version()).orElse(null);
        // the version passed the API's checks where it was applied: the key files it names are the cluster's
        Proposal proposal = propose(() -> documents.fromDocument(next.document()), routeFiles, false);
        if (!proposal.problems().isEmpty()) {
            cannotRun(next, proposal.problems());
            return;
        }
        try {
            putInPlace(proposal, next::version);
        } catch (RuntimeException failed) {
            cannotRun(next, List.of(String.valueOf(failed.getMessage())));
            return;
        }
        LOG.info("Configuration version {} ({}) applied by another instance runs here too", next.version(),
                next.source());
        nowRunning(next.version(), List.of());
    }

    /** A version announced on the topic: followed unless this instance announced it. */
    public void announced(@Header(ClusterBroadcasts.ORIGIN) String origin) {
        if (!broadcasts.own(origin)) {
            follow();
        }
    }

    /** GET instances: the instances seen lately, each with the version it runs and what keeps it from a newer one. */
    public List<Map<String, Object>> instances() {
        List<Map<String, Object>> shown = new ArrayList<>();
        long newest = versions.latestForTheCluster().map(Version::version).orElse(running);
        for (ConfigInstanceStore.Instance seen : instances.seenSince(clock.millis() - followEvery.toMillis() * 6)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("instance", seen.instanceId());
            entry.put("version", seen.version());
            entry.put("current", seen.version() >= newest);
            entry.put("problems", seen.problems());
            entry.put("startedAt", seen.startedAt());
            entry.put("seenAt", seen.seenAt());
            shown.add(entry);
        }
        return shown;
    }

    /** This instance's part of the cluster's configuration, for its health. */
    public Map<String, Object> runningHere() {
        Map<String, Object> here = new LinkedHashMap<>();
        here.put("instance", instance.id());
        here.put("version", running);
        here.put("problems", notRunning);
        return here;
    }

    private void cannotRun(Version next, List<String> problems) {
        couldNotRun = next.version();
        LOG.warn("Configuration version {} cannot run on this instance, version {} keeps serving: {}",
                next.version(), running, String.join("; ", problems));
        nowRunning(running, problems.stream().map(problem -> "version " + next.version() + ": " + problem)
                .toList());
    }

    private void nowRunning(long version, List<String> problems) {
        running = version;
        notRunning = problems;
        long now = clock.millis();
        instances.running(instance.id(), version, problems, startedAt, now);
        instances.forget(now - Duration.ofDays(1).toMillis());
    }

    private Map<String, Object> put(Proposal proposal, String source) {
        long now = clock.millis();
        if (!proposal.problems().isEmpty()) {
            long version = versions.add(now, source, REFUSED, proposal.changes(), proposal.problems(),
                    filesFingerprint, null, null);
            count(source, REFUSED);
            LOG.warn("Configuration version {} from {} refused, the running configuration keeps serving: {}",
                    version, source, String.join("; ", proposal.problems()));
            throw invalid(proposal.problems());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        if (proposal.changes().isEmpty()) {
            answer.put("version", versions.latestApplied().map(Version::version).orElse(0L));
            answer.put("changes", List.of());
            return answer;
        }
        long[] applied = new long[1];
        try {
            putInPlace(proposal, () -> applied[0]);
        } catch (RuntimeException failed) {
            long version = versions.add(now, source, FAILED, proposal.changes(), List.of(String.valueOf(
                    failed.getMessage())), filesFingerprint, null, null);
            count(source, FAILED);
            LOG.warn("Configuration version {} from {} failed to start and was undone: {}", version, source,
                    failed.getMessage());
            throw new ApiException(409, List.of(Problem.of("CONFIGURATION_FAILED", null, "The change failed to start"
                    + " and was undone: " + failed.getMessage())));
        }
        long version = versions.add(now, source, Version.APPLIED, proposal.changes(), List.of(), filesFingerprint,
                documentText(proposal.next()), proposal.changesRoutes() ? proposal.routes().next() : null);
        applied[0] = version;
        count(source, Version.APPLIED);
        LOG.info("Configuration version {} from {} applied: {}", version, source, String.join("; ",
                proposal.changes()));
        nowRunning(version, List.of());
        broadcasts.send(announcements, Long.toString(version));
        answer.put("version", version);
        answer.put("changes", proposal.changes());
        return answer;
    }

    /**
     * Puts a proposal in place, its routes on probation under {@code version} (known once it is recorded); the
     * configuration before it comes back if it fails to start.
     */
    private void putInPlace(Proposal proposal, LongSupplier version) {
        MeheryProperties previous = live.current();
        try {
            live.replace(proposal.next());
            if (proposal.changesRoutes()) {
                routes.apply(proposal.routes(), reason -> rolledBack(version.getAsLong(), reason));
            }
        } catch (RuntimeException failed) {
            live.replace(previous);
            throw failed;
        }
    }

    /** The routes of an applied version failed on probation, and the routes before it run again. */
    private synchronized void rolledBack(long version, String reason) {
        long rollback = versions.add(clock.millis(), "probation", ROLLED_BACK, List.of("the routes of version "
                + version + " rolled back: " + reason), List.of(), filesFingerprint, documentText(live.current()),
                routes.running());
        count("probation", ROLLED_BACK);
        LOG.warn("Configuration version {}: the routes of version {} rolled back: {}", rollback, version, reason);
        nowRunning(rollback, List.of());
        broadcasts.send(announcements, Long.toString(rollback));
    }

    /**
     * @param routeFiles the route files' texts to run, or null when the change leaves the routes as they are
     */
    private Proposal propose(Supplier<MeheryProperties> source, SortedMap<String, String> routeFiles,
            boolean document) {
        RouteChanges.Proposal routeChange = routeFiles == null ? null : routes.propose(routeFiles);
        List<String> routeChanges = routeChange == null ? List.of() : routeChange.change().changes();
        List<String> problems = new ArrayList<>(routeChange == null ? List.of() : routeChange.problems());
        MeheryProperties next;
        try {
            next = source.get();
        } catch (ConfigurationDocuments.Unreadable unreadable) {
            problems.addAll(0, unreadable.problems());
            return new Proposal(null, routeChange, routeChanges, problems);
        }
        MeheryProperties running = live.current();
        if (document) {
            List<String> keyFiles = keyFilesNamedByDocument(running, next);
            if (!keyFiles.isEmpty()) {
                // checked before any rule: whether the file is readable is not the answer's to tell
                return new Proposal(null, null, List.of(), keyFiles);
            }
        }
        problems.addAll(0, ConfigurationRules.problems(next));
        ConfigurationDiff.notLive(running, next).forEach(key -> problems.add(key + " cannot change on a running"
                + " gateway: restart it with the new value"));
        List<String> changes = new ArrayList<>(ConfigurationDiff.between(running, next));
        changes.addAll(routeChanges);
        return new Proposal(next, routeChange, changes, problems);
    }

    /**
     * A document sent to the admin API may not point a channel at a key file the running configuration does not
     * already use: the gateway reading a path an API caller names would tell that caller which files it can read.
     * Key files are set in the configuration files.
     */
    private static List<String> keyFilesNamedByDocument(MeheryProperties running, MeheryProperties next) {
        List<String> problems = new ArrayList<>();
        next.channels().forEach((id, channel) -> {
            MeheryProperties.Channel before = running.channels().get(id);
            requireKnownFile(problems, id, "service-account-file", channel.serviceAccountFile(),
                    before == null ? null : before.serviceAccountFile());
            requireKnownFile(problems, id, "private-key-file", channel.privateKeyFile(),
                    before == null ? null : before.privateKeyFile());
        });
        return problems;
    }

    private static void requireKnownFile(List<String> problems, String channelId, String key, Path path, Path was) {
        if (path != null && !path.equals(was)) {
            problems.add("mehery.channels." + channelId + "." + key + " names a file on the gateway's disk, which"
                    + " only the configuration files may do: set it there and apply them");
        }
    }

    private static ApiException invalid(List<String> problems) {
        return new ApiException(400, problems.stream().map(problem -> Problem.of("INVALID_CONFIGURATION",
                ConfigurationRules.keyOf(problem), problem)).toList());
    }

    private void count(String source, String outcome) {
        meters.counter("mehery.config.changes", "source", source, "outcome", outcome).increment();
    }

    private String documentText(MeheryProperties properties) {
        try {
            return json.writeValueAsString(ConfigurationDocuments.documentOf(properties));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String fingerprint(MeheryProperties properties) {
        return Digests.sha256Hex(documentText(properties).getBytes(StandardCharsets.UTF_8));
    }
}
