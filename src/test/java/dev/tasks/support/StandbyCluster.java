package dev.tasks.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of a test's own, on 127.0.0.1 and a free port, that a copy of the test database is
 * loaded into: what a restore into another cluster, or a standby promoted before it received the latest
 * commits, gives the service. Its transaction ids start where a new cluster's do, far below the test
 * server's. Made with the server binaries of the machine ({@code initdb}, {@code pg_ctl}), as the
 * {@code postgres} user when the tests run as root, and removed again by {@link #close()}.
 */
public final class StandbyCluster implements AutoCloseable {

    private static final Path BIN = Path.of(System.getenv().getOrDefault("TASKS_PG_BIN", "/usr/lib/postgresql/15/bin"));
    private static final String SUPERUSER = "postgres";

    private final Path dir;
    private final int port;

    private StandbyCluster(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** initdb and start; trust authentication on loopback only. */
    public static StandbyCluster start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tasks-standby-");
        if (asRoot()) {
            Commands.run(List.of("chown", "postgres", dir.toString()), Map.of());
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        StandbyCluster cluster = new StandbyCluster(dir, port);
        try {
            cluster.server(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", SUPERUSER,
                    "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions");
            cluster.server(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
                    "-l", dir.resolve("server.log").toString(), "-o",
                    "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off", "start");
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public int port() {
        return port;
    }

    /**
     * Loads a copy of {@code primary}'s database, under the same name, with the roles of its server (the login
     * the service uses, the request role): {@code pg_dumpall --roles-only}, then {@code pg_dump}, each
     * replayed with {@code psql}. A role this cluster has already (its superuser) fails to be created and is
     * skipped; anything else that fails ends the load with an exception.
     */
    public void loadCopyOf(TestDatabase primary) throws IOException, InterruptedException, SQLException {
        Map<String, String> password = Map.of("PGPASSWORD", primary.password());
        String owner;
        try (Connection c = primary.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")) {
            r.next();
            owner = r.getString(1);
        }
        Path roles = dir.resolve("roles.sql");
        Path data = dir.resolve("database.sql");
        Commands.run(List.of(BIN.resolve("pg_dumpall").toString(), "--roles-only", "-h", primary.host(), "-p",
                String.valueOf(primary.port()), "-U", primary.user(), "-f", roles.toString()), password);
        Commands.run(List.of(BIN.resolve("pg_dump").toString(), "-h", primary.host(), "-p", String.valueOf(primary.port()), "-U",
                primary.user(), "-d", primary.name(), "-f", data.toString()), password);
        psql("postgres", roles, false);
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + primary.name() + " OWNER " + owner);
        }
        psql(primary.name(), data, true);
    }

    /** A connection to one of this cluster's databases, as its superuser. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, SUPERUSER, "");
    }

    /** The transaction id this cluster hands out next. */
    public long nextTransaction() throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")) {
            r.next();
            return Long.parseLong(r.getString(1));
        }
    }

    @Override
    public void close() {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                server(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
                        "stop");
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // Removed below all the same; a server left running loses its directory and stops on its own.
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void psql(String database, Path script, boolean stopOnError) throws IOException, InterruptedException {
        Commands.run(List.of(BIN.resolve("psql").toString(), "-X", "-q", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
                SUPERUSER, "-d", database, "-v", "ON_ERROR_STOP=" + (stopOnError ? 1 : 0), "-f", script.toString()),
                Map.of());
    }

    /** A server command: PostgreSQL refuses to run as root, so as {@code postgres} then. */
    private void server(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        if (asRoot()) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        Commands.run(line, Map.of());
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
