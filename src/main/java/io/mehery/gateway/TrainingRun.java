package io.mehery.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * The class-data-sharing training run of {@code mvn package} ({@code mehery.training-run=true}): the gateway starts
 * as it does for real (database, broker, routes, HTTP server), then exits, so that the JVM's archive holds every
 * class a start loads and the next start maps them instead of loading them one by one.
 */
@Component
@ConditionalOnProperty("mehery.training-run")
class TrainingRun implements ApplicationListener<ApplicationReadyEvent> {

    @Override
    public void onApplicationEvent(ApplicationReadyEvent ready) {
        System.exit(SpringApplication.exit(ready.getApplicationContext()));
    }
}
