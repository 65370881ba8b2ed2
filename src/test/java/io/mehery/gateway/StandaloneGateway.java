package io.mehery.gateway;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.mehery.gateway.channel.push.PushKeys;

/**
 * A gateway of its own, outside the shared test context: for tests that stop and restart it on one data dir, or
 * that need the configuration as it ships (application.yaml and the test profile, without the shared overrides).
 */
public final class StandaloneGateway implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private StandaloneGateway(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static StandaloneGateway start(Path dataDir, String... arguments) {
        List<String> withKeys = new ArrayList<>(PushKeys.arguments("http://127.0.0.1:9/oauth2/token"));
        withKeys.addAll(List.of(arguments));
        return startWithProfiles(List.of("test", "demo"), dataDir, withKeys.toArray(String[]::new));
    }

    public static StandaloneGateway startWithProfiles(List<String> profiles, Path dataDir, String... arguments) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--mehery.data-dir=" + dataDir,
                "--spring.jmx.enabled=false"));
        args.addAll(List.of(arguments));
        return new StandaloneGateway(new SpringApplicationBuilder(MeheryGatewayApplication.class)
                .profiles(profiles.toArray(String[]::new)).run(args.toArray(String[]::new)));
    }

    public Api api() {
        return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public <T> Collection<T> beans(Class<T> type) {
        return context.getBeansOfType(type).values();
    }

    @Override
    public void close() {
        context.close();
    }
}
