package org.cameltaas.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated admin token's file: owner-only from its creation, and a file without a usable token stops start-up. */
class MasterKeyFileTest {

    @Test
    void aGeneratedKeyIsWrittenOwnerOnlyAndReadBack() throws Exception {
        Path dir = Files.createTempDirectory("taas-master-key");
        String key = Gateway.masterKey(Map.of("TAAS_DATA_DIR", dir.toString()));
        Path file = dir.resolve("master-key");
        assertTrue(key.startsWith("taas_"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(key, Gateway.masterKey(Map.of("TAAS_DATA_DIR", dir.toString())));
    }

    @Test
    void anEmptyOrForeignKeyFileRefusesToStart() throws Exception {
        for (String content : new String[] {"", "\n", "sk-not-a-gateway-token-000000"}) {
            Path dir = Files.createTempDirectory("taas-master-key");
            Files.writeString(dir.resolve("master-key"), content);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Gateway.masterKey(Map.of("TAAS_DATA_DIR", dir.toString())));
            assertTrue(e.getMessage().contains("TAAS_MASTER_KEY"), e.getMessage());
        }
    }
}
