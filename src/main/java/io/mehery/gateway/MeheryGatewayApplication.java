package io.mehery.gateway;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import ch.qos.logback.classic.Level;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import io.mehery.gateway.live.ConfigurationCheck;

@SpringBootApplication
public class MeheryGatewayApplication {

    private static final String PROFILES = "--spring.profiles.active=";

    /** Runs the gateway; {@code validate <dir>} checks a configuration folder offline instead (exit 0 or 1). */
    public static void main(String[] args) {
        if (args.length >= 2 && args[0].equals("validate")) {
            // the check's own lines are its output: the route loader's start and stop notices are not
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
            List<String> profiles = Arrays.stream(args).filter(a -> a.startsWith(PROFILES))
                    .flatMap(a -> Arrays.stream(a.substring(PROFILES.length()).split(","))).toList();
            System.exit(ConfigurationCheck.run(Path.of(args[1]), profiles, System.out));
        }
        SpringApplication.run(MeheryGatewayApplication.class, args);
    }
}
