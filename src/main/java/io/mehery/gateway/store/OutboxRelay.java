package io.mehery.gateway.store;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.logging.TraceIds;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Moves the outbox to the broker: the oldest rows (locked), sent in one JMS transaction, committed on the broker,
 * then deleted. A crash between the broker's commit and the database's sends those rows again after the restart,
 * so the work arrives at least once: a repeated delivery order or outbound dispatch is a no-op for its consumer, and
 * the analytics sink may see an event twice, with its same id.
 * The relay is woken by each commit that wrote rows, and looks at least every {@code relay-poll-interval} for rows
 * left over (by a restart, by a broker that was down).
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    /** Scheduled delivery in Artemis: the broker holds the message until this epoch-millis time. */
    static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    /** The broker hands the messages of one group to one consumer at a time, in order. */
    static final String MESSAGE_GROUP = "JMSXGroupID";
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    private final Outbox outbox;
    private final Signal signal;
    private final ConnectionFactory broker;
    private final TransactionTemplate transaction;
    private final MeheryProperties.Store settings;
    private final Clock clock;
    private final Counter relayed;
    private volatile boolean running;
    private Thread relay;

    public OutboxRelay(Outbox outbox, Signal signal, ConnectionFactory broker, PlatformTransactionManager transactions,
            MeheryProperties properties, Clock clock, MeterRegistry registry) {
        this.outbox = outbox;
        this.signal = signal;
        this.broker = broker;
        this.transaction = new TransactionTemplate(transactions);
        this.settings = properties.store();
        this.clock = clock;
        this.relayed = Counter.builder("mehery.outbox.relayed").description("Outbox rows moved to the broker")
                .register(registry);
        Gauge.builder("mehery.outbox.backlog", outbox, Outbox::size)
                .description("Outbox rows not yet moved to the broker").register(registry);
    }

    @Override
    public synchronized void start() {
        running = true;
        relay = new Thread(this::relayLoop, "outbox-relay");
        relay.start();
    }

    /** Rows still in the outbox stay there for the next start (or another instance's relay). */
    @Override
    public synchronized void stop() {
        running = false;
        signal.wake();
        try {
            relay.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Runs while the broker and the database are up (both are beans, there before any phase starts and closed after
     * the last one stops); stops after {@link GroupCommit}, so it moves the rows of the last batches too.
     */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 500;
    }

    private void relayLoop() {
        while (running) {
            try {
                while (running && relayBatch() == settings.relayBatch()) {
                    // a full batch: more rows are likely waiting
                }
            } catch (RuntimeException e) {
                LOG.warn("Outbox relay could not move rows to the broker, retrying in {}: {}",
                        settings.relayPollInterval(), e.toString());
            }
            signal.await(settings.relayPollInterval().toMillis());
        }
    }

    /** One batch: the rows sent and committed on the broker, then deleted. Answers how many it moved. */
    int relayBatch() {
        Integer moved = transaction.execute(tx -> {
            List<Outbox.Row> rows = outbox.lockOldest(settings.relayBatch());
            if (rows.isEmpty()) {
                return 0;
            }
            send(rows);
            outbox.remove(rows);
            return rows.size();
        });
        relayed.increment(moved == null ? 0 : moved);
        return moved == null ? 0 : moved;
    }

    private void send(List<Outbox.Row> rows) {
        try (Connection connection = broker.createConnection();
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            Map<String, MessageProducer> producers = new HashMap<>();
            long now = clock.millis();
            for (Outbox.Row row : rows) {
                MessageProducer producer = producers.get(row.queue());
                if (producer == null) {
                    producer = session.createProducer(session.createQueue(row.queue()));
                    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                    producers.put(row.queue(), producer);
                }
                TextMessage message = session.createTextMessage(row.body());
                if (row.notBefore() != null && row.notBefore() > now) {
                    message.setLongProperty(SCHEDULED_DELIVERY, row.notBefore());
                }
                if (row.traceId() != null) {
                    message.setStringProperty(TraceIds.CAMEL_HEADER, row.traceId());
                }
                if (row.group() != null) {
                    message.setStringProperty(MESSAGE_GROUP, row.group());
                }
                producer.send(message);
            }
            session.commit();
        } catch (JMSException e) {
            throw new org.springframework.jms.UncategorizedJmsException(e);
        }
    }

    /** Wakes the relay: a commit wrote rows. Wakes are not counted; one wake covers every commit before it. */
    @Component
    public static class Signal {

        private final Semaphore wakes = new Semaphore(0);

        void wake() {
            if (wakes.availablePermits() == 0) {
                wakes.release();
            }
        }

        void await(long millis) {
            try {
                if (wakes.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
                    wakes.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
