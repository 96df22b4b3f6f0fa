package org.cameltaas.component;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The reference in docs/component.md lists exactly the options and headers of the generated component JSON. */
class ComponentDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|");

    @Test
    void docsMatchTheGeneratedComponentJson() throws Exception {
        JsonNode json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/org/cameltaas/component/taas.json")) {
            assertNotNull(in, "the component JSON is in the jar");
            json = Json.parse(in.readAllBytes());
        }
        String docs = Files.readString(Path.of("../docs/component.md"));
        assertEquals(names(json.get("componentProperties")), rows(docs, "## Component options"), "component options");
        assertEquals(names(json.get("properties")), rows(docs, "## Endpoint options"), "endpoint options");
        assertEquals(names(json.get("headers")), rows(docs, "## Headers"), "headers");
        Set<String> operations = new LinkedHashSet<>();
        json.at("/properties/operation/enum").forEach(op -> operations.add(op.asText()));
        assertEquals(operations, rows(docs, "## Operations"), "operations");
    }

    private static Set<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return new LinkedHashSet<>(names);
    }

    private static Set<String> rows(String docs, String heading) {
        int start = docs.indexOf("\n" + heading + "\n");
        if (start < 0) {
            throw new AssertionError("docs/component.md has no section " + heading);
        }
        int end = docs.indexOf("\n## ", start + heading.length() + 2);
        List<String> names = new ArrayList<>();
        for (String line : docs.substring(start, end < 0 ? docs.length() : end).split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        names.sort(null);
        return new LinkedHashSet<>(names);
    }
}
