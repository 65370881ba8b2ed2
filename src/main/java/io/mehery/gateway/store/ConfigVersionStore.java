package io.mehery.gateway.store;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Every configuration version: applied, refused or failed, with its changes and, when it ran, its document. */
@Repository
public class ConfigVersionStore {

    private static final TypeReference<List<String>> LINES = new TypeReference<>() { };
    private static final TypeReference<SortedMap<String, String>> FILES = new TypeReference<>() { };
    private static final String SELECT = "SELECT version, created_at, source, outcome, changes, problems, base, document,"
            + " routes FROM config_version";

    private final JdbcTemplate jdbc;
    private final JsonColumns columns;
    private final RowMapper<Version> row;

    public ConfigVersionStore(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.columns = new JsonColumns(json, "config_version");
        this.row = (rs, n) -> new Version(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                lines(rs.getString(5)), lines(rs.getString(6)), rs.getString(7), rs.getString(8),
                files(rs.getString(9)));
    }

    /**
     * @param base the fingerprint of the configuration files when this version was made
     * @param document the tenants, channels and templates it ran (JSON), when it ran
     * @param routes the texts of the route files it ran, by file name, when it changed them
     */
    public record Version(long version, long createdAt, String source, String outcome, List<String> changes,
            List<String> problems, String base, String document, SortedMap<String, String> routes) {

        public static final String APPLIED = "applied";
        public static final String ROLLED_BACK = "rolled-back";
    }

    /** The next number, also when another instance of the cluster adds a version at the same moment. */
    public synchronized long add(long createdAt, String source, String outcome, List<String> changes,
            List<String> problems, String base, String document, SortedMap<String, String> routes) {
        for (int tries = 1; ; tries++) {
            Long last = jdbc.queryForObject("SELECT MAX(version) FROM config_version", Long.class);
            long version = last == null ? 1 : last + 1;
            try {
                jdbc.update("INSERT INTO config_version (version, created_at, source, outcome, changes, problems,"
                        + " base, document, routes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", version, createdAt, source,
                        outcome, text(changes), text(problems), base, document, routes == null ? null : text(routes));
                return version;
            } catch (DuplicateKeyException taken) {
                if (tries == 5) {
                    throw taken;
                }
            }
        }
    }

    /** The newest first. */
    public List<Version> all(int limit) {
        return jdbc.query(SELECT.replace("document, routes", "NULL, NULL") + " ORDER BY version DESC LIMIT ?", row,
                limit);
    }

    public Optional<Version> find(long version) {
        return jdbc.query(SELECT + " WHERE version = ?", row, version).stream().findFirst();
    }

    public Optional<Version> latestApplied() {
        return jdbc.query(SELECT + " WHERE outcome = ? ORDER BY version DESC LIMIT 1", row, Version.APPLIED)
                .stream().findFirst();
    }

    /**
     * The newest version that ran and that every instance is to run: applied, or the routes of one rolled back
     * after their probation; not an instance's files at its own start.
     */
    public Optional<Version> latestForTheCluster() {
        return jdbc.query(SELECT + " WHERE outcome IN (?, ?) AND source <> 'start' ORDER BY version DESC LIMIT 1", row,
                Version.APPLIED, Version.ROLLED_BACK).stream().findFirst();
    }

    /** The route files of the newest version after {@code after}, up to {@code upTo}, that changed them. */
    public Optional<SortedMap<String, String>> routesBetween(long after, long upTo) {
        return jdbc.query(SELECT + " WHERE version > ? AND version <= ? AND routes IS NOT NULL AND outcome IN (?, ?)"
                + " ORDER BY version DESC LIMIT 1", row, after, upTo, Version.APPLIED, Version.ROLLED_BACK).stream()
                .findFirst().map(Version::routes);
    }

    private String text(Object value) {
        return columns.write(value);
    }

    private SortedMap<String, String> files(String text) {
        return columns.read(text, FILES);
    }

    private List<String> lines(String text) {
        return columns.read(text, LINES);
    }
}
