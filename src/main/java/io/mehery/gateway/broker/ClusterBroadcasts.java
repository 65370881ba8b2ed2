package io.mehery.gateway.broker;

import java.util.Map;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.JmsException;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import io.mehery.gateway.config.ClusterInstance;

/**
 * Word for every instance of the cluster at once, on a broker topic (each instance subscribes to it in a route):
 * sent as it happens, not kept, so an instance that was away hears nothing and catches up from the database. A
 * broker that cannot take the word is logged and passed over: what it would have told is found by the next look.
 */
@Component
public class ClusterBroadcasts {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterBroadcasts.class);

    private final JmsTemplate topics;
    private final ClusterInstance instance;

    public ClusterBroadcasts(ConnectionFactory broker, ClusterInstance instance) {
        this.instance = instance;
        this.topics = new JmsTemplate(broker);
        topics.setPubSubDomain(true);
        topics.setExplicitQosEnabled(true);
        topics.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
    }

    /** The instance that sends it is named in {@link #ORIGIN}, so that it can pass over its own word. */
    public void send(String topic, String text) {
        send(topic, text, Map.of());
    }

    /** With JMS properties, which the subscribing routes read as headers. */
    public void send(String topic, String text, Map<String, String> properties) {
        try {
            topics.send(topic, session -> {
                var message = session.createTextMessage(text);
                message.setStringProperty(ORIGIN, instance.id());
                for (Map.Entry<String, String> property : properties.entrySet()) {
                    message.setStringProperty(property.getKey(), property.getValue());
                }
                return message;
            });
        } catch (JmsException unavailable) {
            LOG.warn("Could not tell the other instances on {} ({}); they find it at their next look", topic,
                    unavailable.getMessage());
        }
    }

    /** The JMS property (and Camel header) naming the instance a broadcast came from. */
    public static final String ORIGIN = "meheryOrigin";

    /** Whether a broadcast came from this instance. */
    public boolean own(String origin) {
        return instance.id().equals(origin);
    }
}
