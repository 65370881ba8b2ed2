package io.mehery.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

/** What the postgres-outage drill met: a database going down mid-request is a 503 for the caller, not a 500. */
class DependencyFailureTest {

    @Test
    void aDatabaseLostMidRequestIsServiceUnavailable() {
        assertThat(Envelopes.classify(new TransactionSystemException("Could not commit JDBC transaction")).status())
                .isEqualTo(503);
        assertThat(Envelopes.classify(new UncategorizedSQLException("insert", "INSERT ...",
                new SQLException("terminating connection due to administrator command", "57P01"))).status())
                .isEqualTo(503);
        assertThat(Envelopes.classify(new RuntimeException(new SQLException("An I/O error occurred", "08006")))
                .problems().get(0).code()).isEqualTo("SERVICE_UNAVAILABLE");
    }

    @Test
    void ourOwnFailureStaysAnInternalError() {
        assertThat(Envelopes.classify(new IllegalStateException("bug")).status()).isEqualTo(500);
        assertThat(Envelopes.classify(new SQLException("syntax error", "42601")).status()).isEqualTo(500);
    }
}
