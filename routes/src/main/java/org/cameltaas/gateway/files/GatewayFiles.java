package org.cameltaas.gateway.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.cameltaas.gateway.http.TaasHttpBinding;
import org.cameltaas.gateway.http.inbound.TaasNettyHttpComponent;
import org.cameltaas.tenancy.Tenancy;

/**
 * Puts the Files API into the gateway: binds {@code filesApi}, storing content under {@code TAAS_DATA_DIR/files},
 * and has the HTTP server spool uploads to disk ({@code TAAS_FILES_MAX_MB}, default 512).
 */
public final class GatewayFiles {

    private GatewayFiles() {
    }

    public static FilesApi install(Main main, Map<String, String> env, Tenancy tenancy, TaasNettyHttpComponent http,
                                   TaasHttpBinding binding) throws IOException {
        Path dir = Path.of(env.getOrDefault("TAAS_DATA_DIR", "data")).resolve("files");
        long quotaMb = megabytes(env, "TAAS_FILES_QUOTA_MB", 1024);
        LocalFileContentStore content = new LocalFileContentStore(dir);
        SpooledUploads uploads = new SpooledUploads(content.spoolDir(), http.limits().maxUploadBytes());
        // uploads are written by these threads, never by Netty's; one upload's chunks in order (UploadSpooler)
        ExecutorService disk = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "TaasUploads");
            thread.setDaemon(true);
            return thread;
        });
        http.setUploadSpooling(uploads, disk);
        binding.setSpooledUploads(uploads);
        FilesApi api = new FilesApi(tenancy.files(), content, quotaMb * 1024 * 1024, uploads);
        main.bind("filesApi", api);
        main.bind("fileReferences", new FileReferences(tenancy.files(), content));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStop(BaseMainSupport support) {
                disk.shutdown();
            }
        });
        return api;
    }

    static long megabytes(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long mb = Long.parseLong(value.trim());
            if (mb < 0) {
                throw new NumberFormatException();
            }
            return mb;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of megabytes, not " + value);
        }
    }
}
