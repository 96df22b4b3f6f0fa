package org.cameltaas.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConnectorSettingsTest {

    @Test
    void optionsAndTheTokenFromTheEnvironment() {
        ConnectorSettings s = ConnectorSettings.parse(new String[] {"--gateway", "https://gw.example.com",
                "--target=http://127.0.0.1:11434/v1/"}, Map.of("TAAS_CONNECTOR_TOKEN", "taasc_a, taasc_b"));
        assertEquals("wss://gw.example.com:443/connect/v1", s.tunnelUri().toString());
        assertEquals("http://127.0.0.1:11434/v1", s.target().toString());
        assertEquals(List.of("taasc_a", "taasc_b"), s.tokens());
        assertNull(s.targetApiKey());
        assertFalse(s.toString().contains("taasc_a"));
        ConnectorSettings plain = ConnectorSettings.parse(new String[] {"--gateway", "http://127.0.0.1:8080", "--token", "t",
                "--target", "http://localhost:8000/v1", "--target-key", "k"}, Map.of());
        assertEquals("ws://127.0.0.1:8080/connect/v1", plain.tunnelUri().toString());
        assertEquals("k", plain.targetApiKey());
        ConnectorSettings replicas = ConnectorSettings.parse(new String[] {"--gateway", "http://a:8080,https://b", "--token", "t",
                "--target", "http://localhost:8000/v1"}, Map.of());
        assertEquals(List.of("ws://a:8080/connect/v1", "wss://b:443/connect/v1"),
                replicas.gateways().stream().map(g -> ConnectorSettings.tunnelUri(g).toString()).toList());
    }

    @Test
    void missingOrBadOptionsSayWhatToDo() {
        Map<String, String> none = Map.of();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectorSettings.parse(new String[] {
                "--gateway", "http://g", "--target", "http://t"}, none)).getMessage().contains("TAAS_CONNECTOR_TOKEN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectorSettings.parse(new String[] {
                "--token", "t", "--target", "http://t"}, none)).getMessage().startsWith("--gateway is required"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectorSettings.parse(new String[] {
                "--gateway", "ftp://g", "--token", "t", "--target", "http://t"}, none)).getMessage().contains("--gateway must be"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectorSettings.parse(new String[] {
                "--gateway", "http://g", "--token", "t", "--target", "http://t", "--bogus", "x"}, none)).getMessage()
                .startsWith("Unknown option --bogus"));
    }

    @Test
    void backoffGrowsWithJitterAndResets() {
        Backoff backoff = new Backoff(500, 30_000);
        long first = backoff.next();
        assertTrue(first >= 250 && first <= 500, "first " + first);
        long last = 0;
        for (int i = 0; i < 20; i++) {
            last = backoff.next();
        }
        assertTrue(last >= 15_000 && last <= 30_000, "capped " + last);
        backoff.reset();
        assertTrue(backoff.next() <= 500);
    }
}
