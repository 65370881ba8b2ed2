package io.mehery.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.mehery.gateway.config.ChannelType;

/**
 * What the gateway relies on from its store, run against each database it supports (H2 embedded, PostgreSQL in
 * production) with the schema Flyway builds from the real migrations.
 */
abstract class StoreContract {

    private static final long T0 = 1_780_000_000_000L;
    private static final Duration IDLE = Duration.ofHours(24);

    private ContactStore contacts;
    private SessionStore sessions;
    private MessageStore messages;
    private EventStore events;
    private WebhookStore webhooks;
    private DeliveryStore deliveriesStore;
    private TransactionTemplate transaction;
    private String tenant;

    /** A database with nothing in it, ready for Flyway, used by this test class only. */
    abstract DataSource emptyDatabase();

    @BeforeEach
    void migrate() {
        DataSource dataSource = emptyDatabase();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        contacts = new ContactStore(jdbc, transactions);
        sessions = new SessionStore(jdbc);
        messages = new MessageStore(jdbc, StatusChanges.NONE);
        events = new EventStore(jdbc);
        webhooks = new WebhookStore(jdbc);
        deliveriesStore = new DeliveryStore(jdbc);
        transaction = new TransactionTemplate(transactions);
        tenant = "t-" + UUID.randomUUID();
    }

    @Test
    void aContactIsCreatedOnceAndFoundByItsAddressWithinItsTenant() {
        var first = contacts.findOrCreate(tenant, "wa", ChannelType.WHATSAPP, "+15550101", "+1555000", "Ann", T0);
        var again = contacts.findOrCreate(tenant, "wa", ChannelType.WHATSAPP, "+15550101", "+1555000", "Ann", T0);
        var otherTenant = contacts.findOrCreate("other-" + tenant, "wa", ChannelType.WHATSAPP, "+15550101",
                "+1555000", "Ann", T0);

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.contact().id()).isEqualTo(first.contact().id());
        assertThat(otherTenant.contact().id()).isNotEqualTo(first.contact().id());
        assertThat(first.contact().mobile()).isEqualTo("+15550101");
        assertThat(first.contact().email()).isNull();
        assertThat(contacts.findOrCreate(tenant, "mail", ChannelType.EMAIL, "ann@example.com", "desk@example.com",
                null, T0).contact().email()).isEqualTo("ann@example.com");
    }

    @Test
    void firstMessagesRacingFromOneNewUserMakeOneContact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> racers = IntStream.range(0, 8).<Callable<String>>mapToObj(i -> () ->
                    transaction.execute(status -> contacts.findOrCreate(tenant, "wa", ChannelType.WHATSAPP,
                            "+15550199", "+1555000", "Bo", T0).contact().id())).toList();
            Set<String> ids = ConcurrentHashMap.newKeySet();
            for (var result : pool.invokeAll(racers)) {
                ids.add(result.get());
            }
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void consentAndNameAreKeptOnTheContact() {
        String id = contacts.findOrCreate(tenant, "wa", ChannelType.WHATSAPP, "+15550102", "l", null, T0)
                .contact().id();

        contacts.recordConsent(id, ContactRecord.Consent.OPTOUT, T0 + 1);
        contacts.renameOnChannel(id, "Cy", T0 + 2);

        ContactRecord stored = contacts.find(id).orElseThrow();
        assertThat(stored.optedOut()).isTrue();
        assertThat(stored.name()).isEqualTo("Cy");
    }

    @Test
    void aSessionContinuesUntilTheContactFallsSilentForTheIdleTimeout() {
        ContactRecord contact = contacts.findOrCreate(tenant, "wa", ChannelType.WHATSAPP, "+15550103", "l", null, T0)
                .contact();

        String opened = sessions.continueOrOpen(contact, T0, IDLE);
        String continued = sessions.continueOrOpen(contact, T0 + IDLE.toMillis(), IDLE);
        String stillThere = sessions.continueOrOpen(contact, T0 + 2 * IDLE.toMillis(), IDLE);
        String afterSilence = sessions.continueOrOpen(contact, T0 + 3 * IDLE.toMillis() + 1, IDLE);

        assertThat(continued).isEqualTo(opened);
        assertThat(stillThere).isEqualTo(opened);
        assertThat(afterSilence).isNotEqualTo(opened);
        assertThat(sessions.belongsTo(opened, tenant)).isTrue();
        assertThat(sessions.belongsTo(opened, "other-" + tenant)).isFalse();
    }

    @Test
    void aSessionsMessagesComeBackOldestFirstWithAStampPerStatus() {
        ContactRecord contact = contacts.findOrCreate(tenant, "wa", ChannelType.WHATSAPP, "+15550104", "l", null, T0)
                .contact();
        String session = sessions.continueOrOpen(contact, T0, IDLE);
        MessageRecord in = message(contact, session, MessageRecord.Direction.INBOUND, "ext-1", "RECEIVED", T0);
        MessageRecord out = message(contact, session, MessageRecord.Direction.OUTBOUND, null, "ACCEPTED", T0);
        messages.insert(in);
        messages.insert(out);

        messages.advance(out.id(), MessageStatus.SENT, "wamid.9", T0 + 5);
        messages.advance(out.id(), MessageStatus.DELIVERED, null, T0 + 9);
        messages.advance(out.id(), MessageStatus.SENT, null, T0 + 20);

        assertThat(messages.inSession(session)).extracting(MessageRecord::id).containsExactly(in.id(), out.id());
        MessageRecord sent = messages.find(out.id()).orElseThrow();
        assertThat(sent.status()).isEqualTo("SENT");
        assertThat(sent.messageIdExt()).isEqualTo("wamid.9");
        assertThat(messages.stampsInSession(session).get(out.id()))
                .containsExactly(java.util.Map.entry("accepted", T0), java.util.Map.entry("sent", T0 + 5),
                        java.util.Map.entry("delivered", T0 + 9));
        assertThat(messages.findByExternalId(tenant, "wa", MessageRecord.Direction.OUTBOUND, "wamid.9"))
                .map(MessageRecord::id).contains(out.id());
    }

    @Test
    void aProviderMessageIdIsStoredOncePerChannelAndDirection() {
        ContactRecord contact = contacts.findOrCreate(tenant, "wa", ChannelType.WHATSAPP, "+15550105", "l", null, T0)
                .contact();
        String session = sessions.continueOrOpen(contact, T0, IDLE);
        messages.insert(message(contact, session, MessageRecord.Direction.INBOUND, "ext-dup", "RECEIVED", T0));

        assertThatThrownBy(() -> messages.insert(
                message(contact, session, MessageRecord.Direction.INBOUND, "ext-dup", "RECEIVED", T0)))
                .isInstanceOf(DuplicateKeyException.class);
        messages.insert(message(contact, session, MessageRecord.Direction.OUTBOUND, "ext-dup", "SENT", T0));
    }

    @Test
    void anEventIdIsStoredOncePerTenant() {
        assertThat(events.insertIfNew(tenant, "e1", "cart.add", "[]", T0)).isTrue();
        assertThat(events.insertIfNew(tenant, "e1", "cart.add", "[]", T0)).isFalse();
        assertThat(events.insertIfNew("other-" + tenant, "e1", "cart.add", "[]", T0)).isTrue();
    }

    @Test
    void theLatestWebhookOfATenantIsKept() {
        assertThat(webhooks.find(tenant)).isEmpty();

        webhooks.save(tenant, "https://203.0.113.10/a", T0);
        webhooks.save(tenant, "https://203.0.113.10/b", T0 + 1);

        assertThat(webhooks.find(tenant)).contains("https://203.0.113.10/b");
    }

    @Test
    void aDeliveryIsPlannedOnceAndEachAttemptClaimedOnce() {
        ContactRecord contact = contacts.findOrCreate(tenant, "wa", ChannelType.WHATSAPP, "+15550107", "l", null, T0)
                .contact();
        var planned = new DeliveryRecord("msg_" + UUID.randomUUID().toString().replace("-", ""), tenant,
                "message.receive", "ev", null, contact.id(), null, null, null, null, DeliveryRecord.Status.PENDING, 0,
                0, T0, null, null, null, T0, T0, null, null);
        deliveriesStore.insert(planned);
        assertThatThrownBy(() -> deliveriesStore.insert(planned)).as("planned once")
                .isInstanceOf(DuplicateKeyException.class);

        assertThat(deliveriesStore.claimAttempt(planned.id(), 0, false, "{}", "order-1", T0)).isTrue();
        assertThat(deliveriesStore.claimAttempt(planned.id(), 0, false, "{}", "order-2", T0)).as("claimed already")
                .isFalse();
        DeliveryRecord stored = deliveriesStore.find(planned.id()).orElseThrow();
        deliveriesStore.recordAttempt(stored, new DeliveryAttemptRecord(planned.id(), 1, T0, "http://x", 500, 12,
                "HTTP 500", "test"), null, DeliveryRecord.Status.DEAD, null, null);

        assertThat(deliveriesStore.attemptRecorded(stored, 1)).isTrue();
        assertThat(deliveriesStore.withStatus(tenant, DeliveryRecord.Status.DEAD, 10)).hasSize(1);
        assertThat(deliveriesStore.claimAttempt(planned.id(), 1, false, null, "order-3", T0 + 1)).as("dead needs a replay")
                .isFalse();
        assertThat(deliveriesStore.claimAttempt(planned.id(), 1, true, null, "order-4", T0 + 1)).isTrue();
        DeliveryRecord replayed = deliveriesStore.find(tenant, planned.id()).orElseThrow();
        assertThat(replayed.status()).isEqualTo(DeliveryRecord.Status.PENDING);
        assertThat(replayed.attempts()).isEqualTo(2);
        assertThat(replayed.attemptsThisRound()).isEqualTo(1);
        assertThat(replayed.payload()).isEqualTo("{}");
        assertThat(replayed.claimedAt()).isEqualTo(T0 + 1);
        assertThat(replayed.claimedBy()).isEqualTo("order-4");
        assertThat(deliveriesStore.takeOverClaim(planned.id(), 2, "order-3", "order-5", T0 + 2)).isFalse();
        assertThat(deliveriesStore.takeOverClaim(planned.id(), 2, "order-4", "order-5", T0 + 2)).isTrue();
        assertThat(deliveriesStore.find("other-" + tenant, planned.id())).isEmpty();
        assertThat(deliveriesStore.attempts(List.of(stored)).get(stored.id()))
                .extracting(DeliveryAttemptRecord::statusCode).containsExactly(500);
    }

    private MessageRecord message(ContactRecord contact, String session, MessageRecord.Direction direction,
            String ext, String status, long at) {
        return new MessageRecord(UUID.randomUUID().toString(), contact.tenantId(), contact.channelId(), session,
                contact.id(), direction, "text", status, "hello", "{\"body\":\"hello\"}", false, ext, contact.csid(),
                at, null, null, MessageRecord.Context.NONE);
    }
}
