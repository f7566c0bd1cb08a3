package dev.tasks.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the programs an operator would (pg_dump, psql, initdb, the project's scripts) from the tests. */
public final class Commands {

    private static final long LIMIT_SECONDS = 120;

    private Commands() {
    }

    /**
     * Runs a command to its end, at most two minutes, with {@code env} added to this process's environment,
     * and returns its output (standard output and error together). Its output goes to a file, so a program
     * that writes much never blocks on a full pipe. Fails with that output when the command exits with
     * another status than 0 or runs longer.
     */
    public static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Path output = Files.createTempFile("tasks-command", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            boolean ended = process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String text = new String(Files.readAllBytes(output));
            if (!ended || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command)
                        + (ended ? " failed with status " + process.exitValue() : " took over " + LIMIT_SECONDS + " s") + ":\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
