package io.mehery.gateway.live;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The configuration version this instance runs (health component {@code configuration}, details for the operator),
 * with the problems that keep it from a newer one. Always up: an instance that keeps serving the version before
 * serves correctly, and the operator sees it behind in the details and in {@code GET /api/v1/admin/config/instances}.
 */
@Component("configuration")
public class ConfigurationHealth implements HealthIndicator {

    private final ConfigurationChanges changes;

    public ConfigurationHealth(ConfigurationChanges changes) {
        this.changes = changes;
    }

    @Override
    public Health health() {
        return Health.up().withDetails(changes.runningHere()).build();
    }
}
