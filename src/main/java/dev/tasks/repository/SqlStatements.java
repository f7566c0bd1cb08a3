package dev.tasks.repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Loads the native statements kept under {@code db/queries/}, so every SQL text the service sends
 * lives beside the changelogs and the benchmark can replay the very same files.
 */
final class SqlStatements {

    private SqlStatements() {
    }

    static String load(String name) {
        String path = "db/queries/" + name + ".sql";
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing statement " + path);
            }
            // Drop the leading comment lines: they document the file, the server does not need them.
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("--"))
                    .reduce((a, b) -> a + "\n" + b)
                    .orElseThrow()
                    .strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
