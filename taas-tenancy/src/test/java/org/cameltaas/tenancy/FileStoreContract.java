package org.cameltaas.tenancy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Files API's store on each database (H2 and PostgreSQL subclasses); two replicas share the quota where there are two. */
abstract class FileStoreContract {

    Tenancy a;
    Tenancy b;

    abstract TenancySettings settings() throws Exception;

    @BeforeEach
    void open() throws Exception {
        TenancySettings settings = settings();
        a = Tenancy.open(settings);
        b = settings.embedded() ? null : Tenancy.open(TestDatabases.secondReplica(settings));
    }

    @AfterEach
    void close() {
        if (b != null) {
            b.close();
        }
        a.close();
    }

    static FileStore.StoredFile file(String project, String purpose, long bytes) {
        return new FileStore.StoredFile(FileStore.newId(), project, "notes.txt", purpose, bytes, "text/plain", FileStore.now());
    }

    @Test
    void aStoredFileIsReadBackByItsProjectOnly() {
        FileStore.StoredFile f = file("proj-a", "user_data", 42);
        assertEquals(42, a.files().insert(f, 1000));
        assertEquals(f, a.files().get("proj-a", f.id()).orElseThrow());
        assertTrue(a.files().get("proj-b", f.id()).isEmpty(), "another project does not see it");
        assertTrue(f.id().matches("file-[0-9a-z]+"), f.id());
        assertEquals(42, a.files().used("proj-a"));
        assertEquals(0, a.files().used("proj-b"));
    }

    @Test
    void listsPageByIdInEitherOrderAndFilterByPurpose() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            FileStore.StoredFile f = file("proj-l", i % 2 == 0 ? "batch" : "user_data", 1);
            a.files().insert(f, 1000);
            ids.add(f.id());
        }
        a.files().insert(file("proj-other", "batch", 1), 1000);
        List<FileStore.StoredFile> newest = a.files().list("proj-l", null, null, 2, false);
        assertEquals(List.of(ids.get(4), ids.get(3)), newest.stream().map(FileStore.StoredFile::id).toList());
        List<FileStore.StoredFile> next = a.files().list("proj-l", null, ids.get(3), 10, false);
        assertEquals(List.of(ids.get(2), ids.get(1), ids.get(0)), next.stream().map(FileStore.StoredFile::id).toList());
        List<FileStore.StoredFile> oldest = a.files().list("proj-l", null, ids.get(0), 2, true);
        assertEquals(List.of(ids.get(1), ids.get(2)), oldest.stream().map(FileStore.StoredFile::id).toList());
        assertEquals(3, a.files().list("proj-l", "batch", null, 10, false).size());
        assertEquals(0, a.files().list("proj-l", "vision", null, 10, false).size());
    }

    @Test
    void theQuotaIsExactAndADeleteGivesTheBytesBack() {
        a.files().insert(file("proj-q", "user_data", 600), 1000);
        a.files().insert(file("proj-q", "user_data", 400), 1000); // exactly the limit fits
        FileStore.QuotaExceededException over = assertThrows(FileStore.QuotaExceededException.class,
                () -> a.files().insert(file("proj-q", "user_data", 1), 1000));
        assertEquals(1000, over.used());
        assertEquals(1000, over.limit());
        assertEquals(1, over.requested());
        assertEquals(2, a.files().list("proj-q", null, null, 10, false).size(), "nothing stored by the refused insert");
        String first = a.files().list("proj-q", null, null, 10, true).get(0).id();
        assertTrue(a.files().delete("proj-other", first).isEmpty(), "another project cannot delete it");
        assertEquals(600, a.files().delete("proj-q", first).orElseThrow().bytes());
        assertEquals(400, a.files().used("proj-q"));
        assertTrue(a.files().delete("proj-q", first).isEmpty(), "gone");
        a.files().insert(file("proj-q", "user_data", 600), 1000);
    }

    @Test
    void concurrentUploadsOnBothReplicasNeverPassTheQuota() throws Exception {
        FileStore[] stores = b == null ? new FileStore[] {a.files()} : new FileStore[] {a.files(), b.files()};
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                FileStore store = stores[i % stores.length];
                results.add(pool.submit(() -> {
                    try {
                        store.insert(file("proj-race", "user_data", 100), 1000);
                        return true;
                    } catch (FileStore.QuotaExceededException e) {
                        return false;
                    }
                }));
            }
            int stored = 0;
            for (Future<Boolean> result : results) {
                if (result.get(60, TimeUnit.SECONDS)) {
                    stored++;
                }
            }
            assertEquals(10, stored, "exactly the quota's worth of files");
            assertEquals(1000, a.files().used("proj-race"));
            assertEquals(10, a.files().list("proj-race", null, null, 100, false).size());
        } finally {
            pool.shutdownNow();
        }
    }
}
