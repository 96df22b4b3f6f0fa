package org.cameltaas.gateway.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.limits.Limits;

/**
 * Tokens from a JSON file ({@code TAAS_TOKENS_FILE}) plus the admin token ({@code TAAS_MASTER_KEY}), held as
 * hashes in memory. The file:
 * <pre>
 * {"tokens": [{"id": "tok-ci", "hash": "sha256:...", "team": "platform", "project": "ci", "models": ["gpt-4o"],
 *              "rpm": 600, "tpm": 200000, "max_concurrent": 20}]}
 * </pre>
 * {@code rpm}, {@code tpm} and {@code max_concurrent} are optional: left out, that kind of limit does not apply
 * (docs/limits.md).
 */
public class FileTokenStore implements TokenStore {

    private final Map<String, Principal> byHash = new HashMap<>();

    public FileTokenStore(String tokensFile, String masterKey) throws IOException {
        if (masterKey != null && !masterKey.isBlank()) {
            byHash.put(TokenHashes.hash(masterKey.trim()), new Principal("admin", "admin", "admin", Set.of(), true));
        }
        if (tokensFile != null && !tokensFile.isBlank()) {
            load(Path.of(tokensFile));
        }
    }

    private void load(Path file) throws IOException {
        JsonNode root = Json.parse(Files.readAllBytes(file));
        for (JsonNode token : root.path("tokens")) {
            String hash = token.path("hash").asText("");
            if (!hash.startsWith(TokenHashes.PREFIX)) {
                throw new IllegalArgumentException(file + ": token " + token.path("id").asText("?")
                        + " needs a hash of the form sha256:<hex> (the token itself is never stored)");
            }
            Set<String> models = new LinkedHashSet<>();
            token.path("models").forEach(m -> models.add(m.asText()));
            byHash.put(hash, new Principal(token.path("id").asText(hash.substring(7, 19)), token.path("team").asText("default"),
                    token.path("project").asText("default"), Set.copyOf(models), token.path("admin").asBoolean(false),
                    limits(file, token)));
        }
    }

    private static Limits limits(Path file, JsonNode token) {
        try {
            return new Limits(count(token, "rpm"), count(token, "tpm"), count(token, "max_concurrent"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": token " + token.path("id").asText("?") + ": " + e.getMessage());
        }
    }

    private static Integer count(JsonNode token, String field) {
        JsonNode value = token.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(field + " must be a whole number, not " + value);
        }
        return value.asInt();
    }

    @Override
    public Optional<Principal> authenticate(String presentedToken) {
        if (presentedToken == null || !presentedToken.startsWith("taas_")) {
            return Optional.empty();
        }
        String presented = TokenHashes.hash(presentedToken);
        // the map finds the candidate by hash; the final comparison does not stop at the first differing byte
        for (Map.Entry<String, Principal> entry : byHash.entrySet()) {
            if (TokenHashes.same(entry.getKey(), presented)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    public int size() {
        return byHash.size();
    }
}
