package io.mehery.gateway.store;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import com.fasterxml.jackson.core.JsonProcessingException;
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
    private final ObjectMapper json;
    private final RowMapper<Version> row;

    public ConfigVersionStore(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
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
    }

    public synchronized long add(long createdAt, String source, String outcome, List<String> changes,
            List<String> problems, String base, String document, SortedMap<String, String> routes) {
        Long last = jdbc.queryForObject("SELECT MAX(version) FROM config_version", Long.class);
        long version = last == null ? 1 : last + 1;
        jdbc.update("INSERT INTO config_version (version, created_at, source, outcome, changes, problems, base,"
                + " document, routes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", version, createdAt, source, outcome,
                text(changes), text(problems), base, document, routes == null ? null : text(routes));
        return version;
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

    private String text(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private SortedMap<String, String> files(String text) {
        try {
            return text == null ? null : json.readValue(text, FILES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored configuration version is not JSON", e);
        }
    }

    private List<String> lines(String text) {
        try {
            return json.readValue(text, LINES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored configuration version is not JSON", e);
        }
    }
}
