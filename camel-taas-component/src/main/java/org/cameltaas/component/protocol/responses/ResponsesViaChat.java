package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.protocol.ChatTranslation;
import org.cameltaas.component.protocol.TranslationOptions;
import org.cameltaas.component.provider.StreamMapper;

/**
 * OpenAI Responses ({@code POST /responses}) served by an upstream that speaks only Chat Completions.
 *
 * <h2>Request</h2>
 * <ul>
 * <li>{@code instructions} is the first message, role {@code system}; a string {@code input} is one user
 * message.</li>
 * <li>Message items ({@code role} user, assistant, system or developer, {@code type: "message"} optional) are chat
 * messages; developer becomes system. Content parts: {@code input_text}/{@code output_text} (and earlier
 * {@code refusal}s) are text, {@code input_image} with an {@code image_url} is an {@code image_url} part (user
 * messages only). Text-only content is sent as one string; a user message with several parts or an image keeps
 * the parts. An image by {@code file_id} and {@code input_file} are refused ({@code file_not_supported}).</li>
 * <li>{@code function_call} items are {@code tool_calls} (id = {@code call_id}) on an assistant message: calls join
 * the assistant message just before them, so the text and calls of one turn, or consecutive calls, form one
 * message. {@code function_call_output} is a {@code tool} message ({@code tool_call_id} = {@code call_id}); an
 * output that is not a string is its text parts' text or else compact JSON.</li>
 * <li>{@code reasoning} items are dropped: chat cannot hand reasoning back to the model. Any other item type
 * (custom tool calls, hosted tool calls, item references) is refused ({@code item_not_supported}).</li>
 * <li>{@code tools}: function tools are nested under {@code function}; a {@code namespace} tool's member tools are
 * listed on their own, names kept. Hosted tools (web_search, file_search, code_interpreter, mcp, custom, ...) are
 * refused ({@code hosted_tool_not_supported}) unless {@link TranslationOptions#dropUnsupportedTools()}; then they
 * are dropped, and a hosted {@code tool_choice} becomes {@code auto}. Without tools left, {@code tool_choice} and
 * {@code parallel_tool_calls} are left out too.</li>
 * <li>{@code tool_choice}: auto, none, required as they are; {@code {type:function,name}} nests the name under
 * {@code function}; {@code allowed_tools} becomes chat's {@code allowed_tools}.</li>
 * <li>{@code max_output_tokens} is {@code max_tokens}; model, temperature, top_p, user and stream are
 * copied (a stream also asks for the usage chunk); {@code text.format} is {@code response_format},
 * {@code text.verbosity} is {@code verbosity}; {@code reasoning.effort} is {@code reasoning_effort}
 * (minimal becomes low).</li>
 * <li>Dropped: store, include, prompt_cache_key, truncation, service_tier, background, reasoning.summary and
 * anything else without a chat counterpart. Refused, since the gateway keeps no state:
 * {@code previous_response_id} ({@code previous_response_not_supported}), {@code conversation}
 * ({@code conversation_not_supported}), a stored {@code prompt} ({@code prompt_not_supported}).</li>
 * </ul>
 *
 * <h2>Response</h2>
 * The first choice becomes the output items, in order: a reasoning item (from {@code reasoning_content} or
 * {@code reasoning}, as one summary_text), a message item (output_text, and a refusal part if any), one
 * function_call item per tool call (call_id = the chat tool call id, kept so the client's output reaches the
 * upstream under the id it knows). Ids derive from the chat completion id ({@code resp_<id>}, {@code rs_},
 * {@code msg_}, {@code fc_<id>_<output index>}). finish_reason {@code length} makes the response
 * {@code incomplete} with reason {@code max_output_tokens}, {@code content_filter} with reason
 * {@code content_filter}. Usage carries cached and reasoning tokens; the request's settings are echoed with
 * OpenAI's defaults, and {@code output_text} joins the text.
 *
 * <h2>Stream</h2>
 * See {@link ChatToResponsesStreamMapper}: the same response, as OpenAI's numbered event sequence.
 */
public final class ResponsesViaChat implements ChatTranslation {

    @Override
    public TaasOperation operation() {
        return TaasOperation.responses;
    }

    @Override
    public ObjectNode toChatRequest(ObjectNode request, TranslationOptions options) {
        return RequestTranslator.toChat(request, options == null ? TranslationOptions.DEFAULTS : options);
    }

    @Override
    public ObjectNode fromChatResponse(ObjectNode chatCompletion, ObjectNode inboundRequest) {
        return ReplyTranslator.toResponse(chatCompletion, inboundRequest);
    }

    @Override
    public StreamMapper fromChatStream(ObjectNode inboundRequest, String provider) {
        return new ChatToResponsesStreamMapper(inboundRequest, provider);
    }
}
