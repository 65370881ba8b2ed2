package io.mehery.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Envelopes;
import io.mehery.gateway.config.MeheryProperties;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The batcher's edges, on a real H2 database: a write alone, a full batch, a write that breaks a rule inside a
 * batch, a commit that fails, and a stop with writes in flight. A first write that waits on a latch holds the
 * committer busy, so the writes sent meanwhile gather into the next batch, as they do under load.
 */
class GroupCommitTest {

    private static final int MAX_BATCH = 16;

    private final AtomicBoolean commitsFail = new AtomicBoolean();
    /** Set once the first write is holding the committer. */
    private final AtomicBoolean holding = new AtomicBoolean();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ExecutorService callers = Executors.newFixedThreadPool(MAX_BATCH * 2);
    private JdbcTemplate jdbc;
    private GroupCommit commits;

    @BeforeEach
    void start() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        DataSource dataSource = failingCommits(h2);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE note (name VARCHAR(50) PRIMARY KEY)");
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        // as spring.transaction.rollback-on-commit-failure does for the application's
        transactions.setRollbackOnCommitFailure(true);
        commits = new GroupCommit(transactions,
                new MeheryProperties.Store(MAX_BATCH, Duration.ZERO, 500, Duration.ofSeconds(1)), registry);
        commits.start();
    }

    @AfterEach
    void stop() {
        commits.stop();
        callers.shutdownNow();
    }

    @Test
    void aWriteAloneIsCommittedAtOnce() {
        assertThat(commits.write(() -> note("alone"))).isEqualTo("alone");

        assertThat(notes()).containsExactly("alone");
        assertThat(batchSizes().max()).isEqualTo(1.0);
    }

    @Test
    void writesThatArriveWhileABatchCommitsShareTheNextOneUpToTheMaximum() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = holdingTheCommitter(release);
        List<CompletableFuture<String>> gathered = new ArrayList<>();
        for (int i = 0; i < MAX_BATCH + 3; i++) {
            String name = "w" + i;
            gathered.add(submit(() -> note(name)));
        }
        await().until(() -> waiting() == MAX_BATCH + 3);

        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        for (CompletableFuture<String> write : gathered) {
            assertThat(write.get(10, TimeUnit.SECONDS)).startsWith("w");
        }
        assertThat(notes()).hasSize(MAX_BATCH + 4);
        assertThat(batchSizes().count()).as("the first alone, then a full batch, then the rest").isEqualTo(3);
        assertThat(batchSizes().max()).isEqualTo(MAX_BATCH);
    }

    @Test
    void aWriteThatBreaksARuleFailsAloneWithItsOwnErrorAndTheOthersCommit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = holdingTheCommitter(release);
        CompletableFuture<String> before = submit(() -> note("before"));
        CompletableFuture<String> refused = submit(() -> {
            note("half-written");
            throw ApiException.conflict("CONTACT_OPTED_OUT", "to", "opted out");
        });
        CompletableFuture<String> after = submit(() -> note("after"));
        await().until(() -> waiting() == 3);

        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo("before");
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("after");
        assertThatThrownBy(() -> refused.join()).hasCauseInstanceOf(ApiException.class)
                .cause().extracting(e -> ((ApiException) e).status()).isEqualTo(409);
        assertThat(notes()).containsExactlyInAnyOrder("first", "before", "after");
        assertThat(batchSizes().max()).as("the three shared one batch").isEqualTo(3.0);
    }

    @Test
    void aCommitThatFailsFailsEveryWriteOfItsBatchAndWritesNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = holdingTheCommitter(release);
        List<CompletableFuture<String>> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "lost" + i;
            batch.add(submit(() -> note(name)));
        }
        await().until(() -> waiting() == 5);
        commitsFail.set(true);

        release.countDown();

        for (CompletableFuture<String> write : List.of(first, batch.get(0), batch.get(4))) {
            assertThatThrownBy(write::join).cause().extracting(e -> Envelopes.classify(e).status())
                    .as("the caller's envelope").isEqualTo(503);
        }
        commitsFail.set(false);
        assertThat(notes()).isEmpty();
        assertThat(commits.write(() -> note("next"))).as("the next batch commits").isEqualTo("next");
    }

    @Test
    void aStopCommitsTheWritesInFlightAndRefusesNewOnes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = holdingTheCommitter(release);
        List<CompletableFuture<String>> inFlight = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "in-flight" + i;
            inFlight.add(submit(() -> note(name)));
        }
        await().until(() -> waiting() == 4);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(commits::stop, callers);
        await().until(() -> !commits.isRunning());

        assertThatThrownBy(() -> commits.write(() -> note("too late"))).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).status()).isEqualTo(503);
        release.countDown();
        stopping.get(10, TimeUnit.SECONDS);

        assertThat(first.get()).isEqualTo("first");
        for (CompletableFuture<String> write : inFlight) {
            assertThat(write.get()).startsWith("in-flight");
        }
        assertThat(notes()).hasSize(5).doesNotContain("too late");
    }

    @Test
    void whatAWriteAsksToFollowItRunsOnlyOnceItsOwnPartOfTheBatchCommitted() throws Exception {
        List<String> followed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = holdingTheCommitter(release);
        CompletableFuture<String> kept = submit(() -> following("kept", followed));
        CompletableFuture<String> refused = submit(() -> {
            following("refused", followed);
            throw ApiException.conflict("CONTACT_OPTED_OUT", "to", "opted out");
        });
        await().until(() -> waiting() == 2);
        release.countDown();

        assertThat(kept.get(10, TimeUnit.SECONDS)).isEqualTo("kept");
        assertThatThrownBy(refused::join).hasCauseInstanceOf(ApiException.class);
        await().until(() -> followed.size() == 2);
        assertThat(followed).containsExactlyInAnyOrder("kept committed", "refused undone");

        commitsFail.set(true);
        assertThatThrownBy(() -> commits.write(() -> following("lost", followed))).isNotNull();
        await().until(() -> followed.size() == 3);
        assertThat(followed).contains("lost undone");
        assertThat(first.get()).isEqualTo("first");
        assertThatThrownBy(() -> commits.afterCommit(() -> { }, () -> { })).as("outside a write")
                .isInstanceOf(IllegalStateException.class);
    }

    private String following(String name, List<String> followed) {
        commits.afterCommit(() -> followed.add(name + " committed"), () -> followed.add(name + " undone"));
        return note(name);
    }

    /** A first write, "first", that keeps the committer busy until {@code release}: the next writes gather. */
    private CompletableFuture<String> holdingTheCommitter(CountDownLatch release) {
        CompletableFuture<String> first = submit(() -> {
            hold(release);
            return note("first");
        });
        await().until(() -> batchesStarted() == 1);
        return first;
    }

    private String note(String name) {
        jdbc.update("INSERT INTO note (name) VALUES (?)", name);
        return name;
    }

    private List<String> notes() {
        return jdbc.queryForList("SELECT name FROM note", String.class);
    }

    private CompletableFuture<String> submit(Supplier<String> work) {
        return CompletableFuture.supplyAsync(() -> commits.write(work), callers);
    }

    /** Batches begun: the one holding the committer has not been recorded yet, so it shows as in progress. */
    private long batchesStarted() {
        return batchSizes().count() + (holding.get() ? 1 : 0);
    }

    private void hold(CountDownLatch release) {
        holding.set(true);
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int waiting() {
        return commits.waiting();
    }

    private DistributionSummary batchSizes() {
        return registry.get("mehery.store.batch.size").summary();
    }

    /** The H2 database, whose commits fail like a lost connection's while {@link #commitsFail} is set. */
    private DataSource failingCommits(DataSource h2) {
        return new DelegatingDataSource(h2) {
            @Override
            public Connection getConnection() throws SQLException {
                Connection real = super.getConnection();
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                            if (method.getName().equals("commit") && commitsFail.get()) {
                                throw new SQLException("An I/O error occurred while sending to the backend", "08006");
                            }
                            try {
                                return method.invoke(real, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
    }
}
