package org.cameltaas.gateway.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.main.Main;
import org.cameltaas.tenancy.Tenancy;

/** Puts the Files API into the gateway: binds {@code filesApi}, storing content under {@code TAAS_DATA_DIR/files}. */
public final class GatewayFiles {

    private GatewayFiles() {
    }

    public static FilesApi install(Main main, Map<String, String> env, Tenancy tenancy) throws IOException {
        Path dir = Path.of(env.getOrDefault("TAAS_DATA_DIR", "data")).resolve("files");
        long quotaMb = megabytes(env, "TAAS_FILES_QUOTA_MB", 1024);
        FilesApi api = new FilesApi(tenancy.files(), new LocalFileContentStore(dir), quotaMb * 1024 * 1024);
        main.bind("filesApi", api);
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
