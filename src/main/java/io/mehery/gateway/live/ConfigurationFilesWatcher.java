package io.mehery.gateway.live;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;

/**
 * Watches the configuration files the gateway was started from (those on disk: application.yaml in the working
 * folder, {@code config/}, {@code spring.config.additional-location}...) and the route files ({@code mehery.routes}
 * when on disk), and applies them when they change, once they have been quiet for
 * {@code mehery.config.watch-quiet-period} (an editor writes a file in several steps). The change goes through the
 * same validation as the admin API: a bad edit is refused and logged, and the running configuration keeps serving.
 * {@code mehery.config.watch=false} turns it off.
 */
@Component
public class ConfigurationFilesWatcher implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationFilesWatcher.class);
    private static final Pattern FILE_RESOURCE = Pattern.compile("file \\[(.+?)]");

    private final ConfigurableEnvironment environment;
    private final ConfigurationChanges changes;
    private final Path routeFolder;
    private final boolean enabled;
    private final long quietMillis;
    private volatile WatchService watcher;
    private volatile Thread thread;

    public ConfigurationFilesWatcher(ConfigurableEnvironment environment, ConfigurationChanges changes,
            RouteChanges routes, @Value("${mehery.config.watch:true}") boolean enabled,
            @Value("${mehery.config.watch-quiet-period:1s}") Duration quietPeriod) {
        this.environment = environment;
        this.changes = changes;
        this.routeFolder = routes.folder();
        this.enabled = enabled;
        this.quietMillis = quietPeriod.toMillis();
    }

    /** The configuration files on disk the running configuration was read from. */
    Set<Path> files() {
        Set<Path> files = new LinkedHashSet<>();
        environment.getPropertySources().forEach(source -> {
            Matcher file = FILE_RESOURCE.matcher(source.getName());
            if (source.getName().startsWith("Config resource") && file.find()) {
                files.add(Path.of(file.group(1)).toAbsolutePath().normalize());
            }
        });
        return files;
    }

    @Override
    public void start() {
        Set<Path> files = files();
        if (!enabled || files.isEmpty() && routeFolder == null) {
            return;
        }
        try {
            watcher = FileSystems.getDefault().newWatchService();
            Set<Path> folders = new LinkedHashSet<>();
            files.forEach(file -> folders.add(file.getParent()));
            if (routeFolder != null) {
                folders.add(routeFolder);
            }
            for (Path dir : folders) {
                dir.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        } catch (IOException e) {
            LOG.warn("The configuration files cannot be watched ({}); apply them with POST /api/v1/admin/config/apply",
                    e.getMessage());
            return;
        }
        thread = new Thread(() -> watch(files), "configuration-files-watcher");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Watching the configuration files {} and the route files in {}", files, routeFolder);
    }

    private void watch(Set<Path> files) {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean ours = touches(key, files);
                // wait until the files have been quiet, taking in the rest of the editor's writes
                for (WatchKey more = watcher.poll(quietMillis, TimeUnit.MILLISECONDS); more != null;
                        more = watcher.poll(quietMillis, TimeUnit.MILLISECONDS)) {
                    ours |= touches(more, files);
                }
                if (ours) {
                    apply();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean touches(WatchKey key, Set<Path> files) {
        Path dir = (Path) key.watchable();
        boolean ours = key.pollEvents().stream().anyMatch(event -> event.context() instanceof Path name
                && (files.contains(dir.resolve(name).toAbsolutePath().normalize())
                        || dir.equals(routeFolder) && name.toString().endsWith(".yaml")));
        key.reset();
        return ours;
    }

    private void apply() {
        try {
            changes.apply(null);
        } catch (ApiException refused) {
            // ConfigurationChanges logged the version and every problem; the running configuration keeps serving
        } catch (RuntimeException failed) {
            LOG.warn("The changed configuration files could not be applied: {}", failed.getMessage());
        }
    }

    @Override
    public void stop() {
        WatchService running = watcher;
        if (running != null) {
            try {
                running.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null && thread.isAlive();
    }
}
