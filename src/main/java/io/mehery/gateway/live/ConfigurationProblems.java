package io.mehery.gateway.live;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Where a configuration problem is (the YAML line) and what it says, for the admin API and the offline check. */
final class ConfigurationProblems {

    private static final Pattern LINE = Pattern.compile("line (\\d+)");

    private ConfigurationProblems() {
    }

    /** The line (from 1) a bound value came from, when it came from a YAML or properties file. */
    static OptionalInt lineOf(Origin origin) {
        Origin underlying = origin instanceof PropertySourceOrigin wrapped ? wrapped.getOrigin() : origin;
        return underlying instanceof TextResourceOrigin text && text.getLocation() != null
                ? OptionalInt.of(text.getLocation().getLine() + 1) : OptionalInt.empty();
    }

    /** The YAML parser's own account of a document it could not read, if the failure is one. */
    static Optional<MarkedYAMLException> yamlFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                return Optional.of(marked);
            }
        }
        return Optional.empty();
    }

    /** The line a failure names: the YAML parser's mark, or a "line N" in a message (Camel's YAML DSL). */
    static OptionalInt lineOf(Throwable failure) {
        Optional<MarkedYAMLException> yaml = yamlFailure(failure);
        if (yaml.isPresent()) {
            return OptionalInt.of(yaml.get().getProblemMark().getLine() + 1);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            Matcher line = LINE.matcher(String.valueOf(cause.getMessage()));
            if (line.find()) {
                return OptionalInt.of(Integer.parseInt(line.group(1)));
            }
        }
        return OptionalInt.empty();
    }

    /** The message of the deepest cause, on one line. */
    static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.replace('\n', ' ').trim();
    }
}
