package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;

/** Reads the {@code type} of content blocks and tells the kinds apart that need the same treatment. */
final class BlockTypes {

    private BlockTypes() {
    }

    /** The block's type, or "" when it has none. */
    static String of(JsonNode block) {
        String type = Json.textOf(block, "type");
        return type == null ? "" : type;
    }

    /**
     * Blocks that record a server tool's call or result in the history ({@code server_tool_use},
     * {@code web_search_tool_result}, {@code mcp_tool_use}, ...): they only make sense to Anthropic, which ran the tool.
     */
    static boolean isServerToolBlock(String type) {
        return type.equals("server_tool_use") || type.equals("mcp_tool_use")
                || type.endsWith("_tool_result") && !type.equals("tool_result");
    }
}
