package io.mehery.gateway.tags;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The rows of a tab-separated file the tags read from the classpath (a lexicon, a gazetteer), comments left out. */
final class TabSeparated {

    private TabSeparated() {
    }

    /** Each row's fields; blank lines and lines starting with # are no rows. */
    static List<String[]> rows(String resource) {
        try (InputStream in = TabSeparated.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The tags' file " + resource + " is missing from the build");
            }
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    rows.add(line.strip().split("\t"));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
