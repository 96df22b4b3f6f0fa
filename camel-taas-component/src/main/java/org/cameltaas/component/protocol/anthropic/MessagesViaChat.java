package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.protocol.ChatTranslation;
import org.cameltaas.component.protocol.TranslationOptions;
import org.cameltaas.component.provider.StreamMapper;
import org.cameltaas.component.support.Json;

/**
 * Anthropic Messages served by an upstream that speaks only OpenAI Chat Completions, so that Anthropic clients
 * (anthropic-java, {@code @anthropic-ai/sdk}, Claude Code) can use any chat model.
 *
 * <h2>Request: Anthropic to chat</h2>
 * <table>
 * <caption>request fields</caption>
 * <tr><th>Anthropic</th><th>chat</th></tr>
 * <tr><td>{@code model}, {@code max_tokens}, {@code temperature}, {@code top_p}</td><td>the same</td></tr>
 * <tr><td>{@code system} (string or text blocks)</td><td>first message, role {@code system}; blocks joined by a
 *     blank line</td></tr>
 * <tr><td>user {@code text} block</td><td>{@code text} part; a lone text block becomes a plain string</td></tr>
 * <tr><td>user {@code image}, source base64 / url</td><td>{@code image_url} part, {@code data:<media type>;base64,...}
 *     / the URL; a file source is refused ({@code unsupported_content_block})</td></tr>
 * <tr><td>user {@code tool_result}</td><td>a {@code tool} message before the user's remaining content; text
 *     blocks joined by a newline, {@code is_error} prefixes {@code "Error: "}; images in it move to the user
 *     message</td></tr>
 * <tr><td>{@code document}</td><td>refused: {@code document_not_supported}</td></tr>
 * <tr><td>assistant {@code text} / {@code tool_use}</td><td>{@code content} (blocks joined by a blank line) /
 *     {@code tool_calls} with the input as compact JSON arguments</td></tr>
 * <tr><td>assistant {@code thinking}</td><td>{@code reasoning_content} and {@code reasoning_signature} (this
 *     project's extension)</td></tr>
 * <tr><td>assistant {@code redacted_thinking}</td><td>dropped</td></tr>
 * <tr><td>custom {@code tools}</td><td>function tools, {@code input_schema} as {@code parameters}</td></tr>
 * <tr><td>server tools ({@code web_search_20250305}, {@code bash_20250124}, ...) and their history
 *     blocks</td><td>refused: {@code hosted_tool_not_supported}; dropped when
 *     {@link TranslationOptions#dropUnsupportedTools()}</td></tr>
 * <tr><td>{@code tool_choice} auto / any / none / tool</td><td>{@code "auto"} / {@code "required"} /
 *     {@code "none"} / {@code {"type":"function","function":{"name":...}}}</td></tr>
 * <tr><td>{@code disable_parallel_tool_use: true}</td><td>{@code parallel_tool_calls: false}</td></tr>
 * <tr><td>{@code stop_sequences}</td><td>{@code stop}</td></tr>
 * <tr><td>{@code stream: true}</td><td>{@code stream: true} and {@code stream_options.include_usage}</td></tr>
 * <tr><td>{@code metadata.user_id}</td><td>{@code user}</td></tr>
 * <tr><td>{@code thinking} enabled, {@code budget_tokens}</td><td>{@code reasoning_effort}: low up to 2048,
 *     medium up to 8192, high above</td></tr>
 * <tr><td>{@code top_k}, {@code cache_control}, other fields</td><td>dropped</td></tr>
 * </table>
 *
 * <h2>Reply: chat to Anthropic</h2>
 * <table>
 * <caption>reply fields</caption>
 * <tr><th>chat</th><th>Anthropic</th></tr>
 * <tr><td>{@code id} {@code chatcmpl-X}</td><td>{@code msg_X}</td></tr>
 * <tr><td>{@code reasoning_content} (or {@code reasoning}), {@code reasoning_signature}</td><td>a first
 *     {@code thinking} block, signature {@code ""} when none</td></tr>
 * <tr><td>{@code content}, {@code refusal}</td><td>{@code text} blocks</td></tr>
 * <tr><td>{@code tool_calls}</td><td>{@code tool_use} blocks, arguments parsed; arguments that are not a JSON
 *     object are kept as {@code {"_raw": arguments}}</td></tr>
 * <tr><td>{@code finish_reason} stop / length / tool_calls, function_call / content_filter</td><td>
 *     {@code stop_reason} end_turn / max_tokens / tool_use / refusal</td></tr>
 * <tr><td>{@code usage}</td><td>{@code input_tokens} = prompt - cached, {@code output_tokens},
 *     {@code cache_read_input_tokens} = cached, {@code cache_creation_input_tokens} = 0</td></tr>
 * </table>
 * Streams: see {@code ChatChunksToMessageEvents}.
 */
public final class MessagesViaChat implements ChatTranslation {

    @Override
    public TaasOperation operation() {
        return TaasOperation.messages;
    }

    @Override
    public ObjectNode toChatRequest(ObjectNode request, TranslationOptions options) {
        return MessagesRequestToChat.of(request, options != null ? options : TranslationOptions.DEFAULTS);
    }

    @Override
    public ObjectNode fromChatResponse(ObjectNode chatCompletion, ObjectNode inboundRequest) {
        return MessageFromChat.of(chatCompletion, inboundRequest);
    }

    @Override
    public StreamMapper fromChatStream(ObjectNode inboundRequest, String provider) {
        return new ChatChunksToMessageEvents(provider, Json.textOf(inboundRequest, "model"));
    }
}
