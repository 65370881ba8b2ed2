package io.mehery.gateway.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store on PostgreSQL, the production database: the server at 127.0.0.1:5432 (database {@code test}, user
 * {@code postgres}), overridable by {@code -Dmehery.test.postgres.url=...}. Each run works in a schema of its
 * own, dropped afterwards. Where no server answers, these tests are skipped, saying so.
 */
class PostgresStoreTest extends StoreContract {

    private static final String URL = System.getProperty("mehery.test.postgres.url",
            "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getProperty("mehery.test.postgres.user", "postgres");
    private static final String RUN_SCHEMA = "mehery_store_" + UUID.randomUUID().toString().replace("-", "");

    private static boolean reachable;

    @BeforeAll
    static void connect() {
        try (Connection ignored = DriverManager.getConnection(URL, USER, "")) {
            reachable = true;
        } catch (SQLException e) {
            reachable = false;
            System.err.println("PostgreSQL store tests will be skipped: " + URL + " does not answer (" + e.getMessage()
                    + ")");
        }
    }

    @AfterAll
    static void dropRunSchemas() throws SQLException {
        if (!reachable) {
            return;
        }
        try (Connection c = DriverManager.getConnection(URL, USER, "")) {
            var schemas = c.prepareStatement("SELECT schema_name FROM information_schema.schemata"
                    + " WHERE schema_name LIKE ?");
            schemas.setString(1, RUN_SCHEMA + "%");
            var rs = schemas.executeQuery();
            while (rs.next()) {
                c.createStatement().execute("DROP SCHEMA " + rs.getString(1) + " CASCADE");
            }
        }
    }

    @Override
    DataSource emptyDatabase() {
        assumeTrue(reachable, "PostgreSQL store tests skipped: no PostgreSQL server answers at " + URL
                + " as " + USER + " (start one, or set -Dmehery.test.postgres.url)");
        String schema = RUN_SCHEMA + "_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(URL, USER, "")) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema, e);
        }
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(URL);
        pg.setUser(USER);
        pg.setCurrentSchema(schema);
        return pg;
    }
}
