package io.mehery.gateway.delivery;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;


/**
 * One delivery route per tenant, from the {@code deliver-callbacks} template in routes/callback-delivery.yaml, each
 * on the tenant's own queue with its own consumers: a slow or dead webhook holds up only its own tenant. At start,
 * deliveries that waited for a webhook the tenant has since set are sent on their way.
 */
@Component
public class TenantDeliveryRoutes implements CamelContextConfiguration, LiveConfiguration.Listener {

    static final String TEMPLATE = "deliver-callbacks";
    static final String QUEUE_ORDERS = "direct:queue-delivery-orders";
    private static final Logger LOG = LoggerFactory.getLogger(TenantDeliveryRoutes.class);

    private final LiveConfiguration live;
    private final CallbackDeliveries deliveries;
    private volatile CamelContext camel;

    public TenantDeliveryRoutes(LiveConfiguration live, CallbackDeliveries deliveries) {
        this.live = live;
        this.deliveries = deliveries;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        live.tenants().keySet().forEach(this::start);
    }

    /** A tenant added on a running gateway gets its route; a removed one's stops (its queue keeps its orders). */
    @Override
    public void changed(MeheryProperties previous, MeheryProperties next) {
        if (camel == null) {
            return;
        }
        next.tenants().keySet().stream().filter(id -> !previous.tenants().containsKey(id)).forEach(this::start);
        previous.tenants().keySet().stream().filter(id -> !next.tenants().containsKey(id)).forEach(this::stop);
    }

    private void start(String tenantId) {
        try (ProducerTemplate producer = camel.createProducerTemplate()) {
            TemplatedRouteBuilder.builder(camel, TEMPLATE)
                    .routeId(TEMPLATE + "-" + tenantId)
                    .parameter("tenantId", tenantId)
                    .add();
            var waiting = deliveries.waiting(tenantId);
            if (!waiting.isEmpty() && deliveries.hasWebhook(tenantId)) {
                producer.sendBody(QUEUE_ORDERS, waiting);
                LOG.info("Resumed {} callbacks of tenant {} that waited for its webhook", waiting.size(), tenantId);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the callback delivery route of tenant " + tenantId, e);
        }
    }

    private void stop(String tenantId) {
        try {
            camel.getRouteController().stopRoute(TEMPLATE + "-" + tenantId);
            camel.removeRoute(TEMPLATE + "-" + tenantId);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the callback delivery route of tenant " + tenantId, e);
        }
    }
}
