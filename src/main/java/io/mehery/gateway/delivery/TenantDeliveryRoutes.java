package io.mehery.gateway.delivery;

import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.LiveRoutes;
import io.mehery.gateway.config.MeheryProperties;

/**
 * One delivery route per tenant, from the {@code deliver-callbacks} template in routes/callback-delivery.yaml, each
 * on the tenant's own queue with its own consumers: a slow or dead webhook holds up only its own tenant. At start,
 * deliveries that waited for a webhook the tenant has since set are sent on their way.
 */
@Component
public class TenantDeliveryRoutes extends LiveRoutes<String> {

    static final String TEMPLATE = "deliver-callbacks";
    private static final Logger LOG = LoggerFactory.getLogger(TenantDeliveryRoutes.class);

    private final CallbackDeliveries deliveries;

    public TenantDeliveryRoutes(LiveConfiguration live, CallbackDeliveries deliveries) {
        super(live, TEMPLATE);
        this.deliveries = deliveries;
    }

    /** A tenant's route depends on its id alone: a tenant whose keys change keeps its route. */
    @Override
    protected Map<String, String> runningIn(MeheryProperties properties) {
        Map<String, String> tenants = new TreeMap<>();
        properties.tenants().keySet().forEach(id -> tenants.put(id, id));
        return tenants;
    }

    @Override
    protected Map<String, Object> parametersOf(String tenantId, String unused) {
        return Map.of("tenantId", tenantId);
    }

    @Override
    protected void started(CamelContext camel, String tenantId, String unused) throws Exception {
        if (deliveries.hasWebhook(tenantId)) {
            int resumed = deliveries.resume(tenantId);
            if (resumed > 0) {
                LOG.info("Resumed the callbacks of tenant {} that waited for its webhook: {} orders, one for each"
                        + " contact's first", tenantId, resumed);
            }
        }
    }
}
