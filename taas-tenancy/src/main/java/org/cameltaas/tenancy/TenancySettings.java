package org.cameltaas.tenancy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where tenancy keeps its data, read from the environment.
 *
 * @param jdbcUrl        {@code TAAS_DB_URL}, else an H2 file {@code <TAAS_DATA_DIR>/taas} in PostgreSQL mode
 * @param user           {@code TAAS_DB_USER}
 * @param password       {@code TAAS_DB_PASSWORD} (never logged)
 * @param dataDir        {@code TAAS_DATA_DIR} (default {@code data}): the H2 file and the usage journal
 * @param tokenRefresh   how often each replica reads token changes ({@code TAAS_TOKEN_REFRESH_MS}, 1000)
 * @param rotationGrace  how long a rotated token's old secret keeps working ({@code TAAS_TOKEN_ROTATION_GRACE_S}, 3600)
 * @param journalFsync   {@code TAAS_LEDGER_FSYNC}: also force journal writes to the disk (survives power loss, not only kill -9)
 */
public record TenancySettings(String jdbcUrl, String user, String password, Path dataDir, Duration tokenRefresh,
                              Duration rotationGrace, boolean journalFsync) {

    public static TenancySettings fromEnv(Map<String, String> env) {
        Path dataDir = Path.of(env.getOrDefault("TAAS_DATA_DIR", "data")).toAbsolutePath();
        String url = env.get("TAAS_DB_URL");
        if (url == null || url.isBlank()) {
            url = h2Url(dataDir.resolve("taas"));
        }
        return new TenancySettings(url, blankToNull(env.get("TAAS_DB_USER")), blankToNull(env.get("TAAS_DB_PASSWORD")),
                dataDir, Duration.ofMillis(Long.parseLong(env.getOrDefault("TAAS_TOKEN_REFRESH_MS", "1000"))),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("TAAS_TOKEN_ROTATION_GRACE_S", "3600"))),
                Boolean.parseBoolean(env.getOrDefault("TAAS_LEDGER_FSYNC", "false")));
    }

    /**
     * The embedded database: one file, PostgreSQL's dialect so the same migrations and statements serve both.
     * WRITE_DELAY=0: H2 otherwise writes commits up to 500 ms later, and a kill -9 lost the ledger's last committed
     * batches after the journal's checkpoint had moved past them. DB_CLOSE_ON_EXIT=FALSE: the gateway closes it
     * after its own shutdown (the last usage batches), not H2's shutdown hook before.
     */
    public static String h2Url(Path file) {
        return "jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    public boolean embedded() {
        return jdbcUrl.startsWith("jdbc:h2:");
    }

    public TenancySettings withJdbc(String url, String user, String password) {
        return new TenancySettings(url, user, password, dataDir, tokenRefresh, rotationGrace, journalFsync);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
