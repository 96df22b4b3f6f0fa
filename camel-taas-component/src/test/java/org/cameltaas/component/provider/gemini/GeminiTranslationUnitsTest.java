package org.cameltaas.component.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The small translation pieces, where an end-to-end call would say less. */
class GeminiTranslationUnitsTest {

    @Test
    void mimeTypesComeFromTheExtensionOfThePathOnly() {
        assertEquals("image/png", GeminiParts.mimeOf("https://x.test/a/b.PNG"));
        assertEquals("application/pdf", GeminiParts.mimeOf("https://x.test/doc.pdf#page=2"));
        assertEquals("image/jpeg", GeminiParts.mimeOf("https://x.test/v1.2/render"), "a dot in a directory is no extension");
        assertEquals("image/jpeg", GeminiParts.mimeOf("https://x.test/file.unknown"));
    }

    @Test
    void aPercentEncodedDataUrlIsSentAsBase64() throws Exception {
        JsonNode parts = GeminiParts.of(Json.parse(
                "[{\"type\":\"image_url\",\"image_url\":\"data:image/svg+xml,%3Csvg%2F%3E\"}]"));
        assertEquals("{\"inlineData\":{\"mimeType\":\"image/svg+xml\",\"data\":\"PHN2Zy8+\"}}", parts.get(0).toString());
    }

    @Test
    void contentPartsGeminiCannotTakeAreRefused() throws Exception {
        JsonNode parts = Json.parse("[{\"type\":\"video_url\",\"video_url\":{\"url\":\"x\"}}]");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> GeminiParts.of(parts));
        assertEquals("the gemini provider cannot send a 'video_url' content part", error.getMessage());
    }

    @Test
    void schemaCleaningLeavesTheCallersSchemaAlone() throws Exception {
        JsonNode schema = Json.parse("{\"type\":\"object\",\"additionalProperties\":false,"
                + "\"$defs\":{\"strict\":{\"type\":\"string\",\"strict\":true}},\"anyOf\":[{\"$schema\":\"x\",\"type\":\"null\"}]}");
        String before = schema.toString();
        assertEquals("{\"type\":\"object\",\"$defs\":{\"strict\":{\"type\":\"string\"}},\"anyOf\":[{\"type\":\"null\"}]}",
                GeminiSchemas.clean(schema).toString());
        assertEquals(before, schema.toString());
    }

    @Test
    void toolCallIdsAreStablePerReplyAndPosition() {
        assertEquals(ToolCallIds.of("r-1", 0, 1), ToolCallIds.of("r-1", 0, 1));
        assertEquals(29, ToolCallIds.of("r-1", 0, 1).length());
        assertNotEquals(ToolCallIds.of("r-1", 0, 1), ToolCallIds.of("r-1", 0, 2));
    }

    @Test
    void usageCountsThoughtsAsCompletionTokens() throws Exception {
        JsonNode metadata = Json.parse("{\"promptTokenCount\":10,\"candidatesTokenCount\":5,\"thoughtsTokenCount\":20,"
                + "\"totalTokenCount\":35,\"cachedContentTokenCount\":8}");
        assertEquals(new TaasUsage(10, 25, 35, 8, 20), GeminiUsage.of(metadata));
    }
}
