package org.cameltaas.gateway.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files' content under a directory ({@code TAAS_DATA_DIR/files}): one file per id, named by the id (ids are checked
 * to be letters, digits, {@code -} and {@code _} before they get here), and spool files in {@code tmp/} beside them,
 * moved into place atomically. Spool files left by a crash (older than an hour) are removed at start.
 */
public final class LocalFileContentStore implements FileContentStore {

    /** Longer than any upload may take (TAAS_BODY_TIMEOUT is 5 minutes by default). */
    private static final java.time.Duration STALE_SPOOL = java.time.Duration.ofHours(1);

    private final Path dir;
    private final Path spool;

    public LocalFileContentStore(Path dir) throws IOException {
        this.dir = dir;
        this.spool = dir.resolve("tmp");
        Files.createDirectories(spool);
        // a crash's leftovers; recent ones may be another replica's uploads in flight on a shared directory
        long stale = System.currentTimeMillis() - STALE_SPOOL.toMillis();
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(spool)) {
            for (Path leftover : leftovers) {
                if (Files.getLastModifiedTime(leftover).toMillis() < stale) {
                    Files.deleteIfExists(leftover);
                }
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** Where uploads are spooled before they are kept. */
    public Path spoolDir() {
        return spool;
    }

    @Override
    public Path newSpoolFile() throws IOException {
        return Files.createTempFile(spool, "upload-", ".part");
    }

    @Override
    public void keep(Path spooled, String id) throws IOException {
        Files.move(spooled, file(id), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public InputStream open(String id) throws IOException {
        return Files.newInputStream(file(id));
    }

    @Override
    public void delete(String id) throws IOException {
        Files.deleteIfExists(file(id));
    }

    private Path file(String id) {
        if (!FileIds.wellFormed(id)) {
            throw new IllegalArgumentException("not a file id");
        }
        return dir.resolve(id);
    }
}
