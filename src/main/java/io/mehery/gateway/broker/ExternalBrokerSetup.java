package io.mehery.gateway.broker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import io.mehery.gateway.config.InvalidConfiguration;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;

/**
 * An external broker ({@code spring.artemis.mode=native}) set up by the gateway itself before any route uses it,
 * through Artemis' management (the {@code activemq.management} address): the address settings of
 * {@link BrokerLayout} (redelivery back-off, dead letters, queues never deleted for being idle) and every queue.
 * Each instance of a cluster does it at start; it changes nothing that is already so. Tenants' and taps' queues
 * added on the running gateway are created before their routes start. Without the rights to manage the broker
 * ({@code manage} on the management address, {@code createDurableQueue} on {@code mehery.#}), the gateway checks the
 * queues exist: if any is missing it does not start, and says which, and what settings to give them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "native")
public class ExternalBrokerSetup implements InitializingBean, LiveConfiguration.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalBrokerSetup.class);
    private static final long ANSWER_MILLIS = 10_000;

    private final BrokerLayout layout;
    private final MeheryProperties properties;
    private final String brokerUrl;
    private final String user;
    private final String password;

    public ExternalBrokerSetup(BrokerLayout layout, MeheryProperties properties,
            @Value("${spring.artemis.broker-url:tcp://localhost:61616}") String brokerUrl,
            @Value("${spring.artemis.user:#{null}}") String user,
            @Value("${spring.artemis.password:#{null}}") String password) {
        this.layout = layout;
        this.properties = properties;
        this.brokerUrl = brokerUrl;
        this.user = user;
        this.password = password;
    }

    /** Refused by the broker: the operation and the broker's reason. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        List<QueueConfiguration> queues = layout.queues(properties);
        try (Management broker = new Management()) {
            try {
                for (Map.Entry<String, AddressSettings> settings : layout.addressSettings().entrySet()) {
                    broker.invoke("addAddressSettings", settings.getKey(), settings.getValue().toJSON());
                }
                for (QueueConfiguration queue : queues) {
                    broker.createQueue(queue);
                }
                for (String topic : layout.topics()) {
                    broker.createTopic(topic);
                }
                LOG.info("Broker {} set up: address settings {}, {} queues, topics {}", withoutOptions(brokerUrl),
                        layout.addressSettings().keySet(), queues.size(), layout.topics());
            } catch (Refused refused) {
                List<String> missing = broker.missing(queues, layout.topics());
                if (!missing.isEmpty()) {
                    throw new InvalidConfiguration("The broker at " + withoutOptions(brokerUrl) + " refused to set up"
                            + " the gateway's queues (" + refused.getMessage() + ") and these are missing: "
                            + String.join(", ", missing) + ". Give the user the rights manage (on "
                            + "activemq.management) and createDurableQueue (on mehery.#), or create them as durable"
                            + " anycast queues (the topics as multicast addresses) with the address settings "
                            + describedSettings());
                }
                LOG.warn("The broker at {} refused the gateway's set-up ({}); its queues exist, but their address"
                        + " settings cannot be checked: they should be {}", withoutOptions(brokerUrl),
                        refused.getMessage(), describedSettings());
            }
        }
    }

    /** A tenant or tap added on the running gateway gets its queue before its route starts. */
    @Override
    public void changed(MeheryProperties previous, MeheryProperties next) {
        Set<SimpleString> before = new HashSet<>();
        layout.queues(previous).forEach(queue -> before.add(queue.getName()));
        List<QueueConfiguration> added = layout.queues(next).stream().filter(q -> !before.contains(q.getName()))
                .toList();
        if (added.isEmpty()) {
            return;
        }
        try (Management broker = new Management()) {
            for (QueueConfiguration queue : added) {
                broker.createQueue(queue);
            }
        } catch (Exception failed) {
            // the route's consumer creates its queue if the broker lets it; if not, the route says why
            LOG.warn("The queues {} could not be created on the broker: {}", added.stream()
                    .map(QueueConfiguration::getName).toList(), failed.getMessage());
        }
    }

    /** The broker's address without its options, which may carry credentials. */
    private static String withoutOptions(String url) {
        int options = url.indexOf('?');
        return options < 0 ? url : url.substring(0, options);
    }

    private String describedSettings() {
        StringBuilder described = new StringBuilder();
        layout.addressSettings().forEach((match, settings) -> described.append(match).append(' ')
                .append(settings.toJSON()).append("; "));
        return described.toString();
    }

    /** A management session with the broker. */
    private final class Management implements AutoCloseable {
        private final ServerLocator locator;
        private final ClientSessionFactory factory;
        private final ClientSession session;
        private ClientRequestor requestor;

        Management() throws Exception {
            locator = ActiveMQClient.createServerLocator(brokerUrl);
            try {
                factory = locator.createSessionFactory();
                session = factory.createSession(user, password, false, true, true, false, 0);
                session.start();
            } catch (Exception unreachable) {
                locator.close();
                throw unreachable;
            }
        }

        void invoke(String operation, Object... parameters) throws Exception {
            ClientMessage answer;
            try {
                if (requestor == null) {
                    // its reply queue is a temporary queue: a user who may not create one may not manage either
                    requestor = new ClientRequestor(session, SimpleString.of("activemq.management"));
                }
                ClientMessage request = session.createMessage(false);
                ManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, operation, parameters);
                answer = requestor.request(request, ANSWER_MILLIS);
            } catch (ActiveMQSecurityException denied) {
                throw new Refused(operation + ": " + denied.getMessage());
            }
            if (answer == null) {
                throw new Refused(operation + ": no answer from the broker's management");
            }
            if (!ManagementHelper.hasOperationSucceeded(answer)) {
                throw new Refused(operation + ": " + ManagementHelper.getResult(answer));
            }
        }

        /** Creates the queue and its address, unless it exists. */
        void createQueue(QueueConfiguration queue) throws Exception {
            invoke("createQueue", queue.setAutoCreateAddress(true).toJSON(), true);
        }

        /** Creates the multicast address that each instance subscribes to, unless it exists. */
        void createTopic(String topic) throws Exception {
            if (!session.addressQuery(SimpleString.of(topic)).isExists()) {
                invoke("createAddress", topic, "MULTICAST");
            }
        }

        List<String> missing(List<QueueConfiguration> queues, List<String> topics) throws Exception {
            List<String> missing = new ArrayList<>();
            for (QueueConfiguration queue : queues) {
                if (!session.queueQuery(queue.getName()).isExists()) {
                    missing.add(queue.getName().toString());
                }
            }
            for (String topic : topics) {
                if (!session.addressQuery(SimpleString.of(topic)).isExists()) {
                    missing.add(topic + " (multicast)");
                }
            }
            return missing;
        }

        @Override
        public void close() throws Exception {
            if (requestor != null) {
                requestor.close();
            }
            session.close();
            factory.close();
            locator.close();
        }
    }
}
