package org.cameltaas.component.protocol.responses;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUpstreamException.Failure;
import org.cameltaas.component.UpstreamFailures;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.protocol.ProtocolStreamMapper;
import org.cameltaas.component.protocol.responses.ResponseEvents.Sink;
import org.cameltaas.component.support.Json;

/**
 * OpenAI {@code chat.completion.chunk} events as the Responses event stream.
 * <p>
 * The first chunk opens the response ({@code response.created}, {@code response.in_progress}). Chat deltas are
 * then grouped into output items: reasoning, text, refusal, and each tool call index is one item, and a delta of
 * another kind (or another tool call) closes the open item before the next one opens, so items never interleave
 * and {@code output_index} counts them in order. Chat's {@code [DONE]} closes the last item and becomes
 * {@code response.completed} (or {@code response.incomplete}) with every item and the usage of the usage chunk;
 * the Responses stream itself has no {@code [DONE]}. Only the first choice is read: Responses has no {@code n}.
 */
final class ChatToResponsesStreamMapper extends ProtocolStreamMapper {

    private final ObjectNode request;
    private final ResponseEvents events = new ResponseEvents();
    /** The finished items, in output order. */
    private final ArrayNode output = Json.MAPPER.createArrayNode();
    /** Tool call indexes met so far, so that a late fragment of a closed call is noticed. */
    private final Set<Integer> callIndexes = new HashSet<>();
    private ResponseIds ids;
    private ResponseObject response;
    private StreamedItem open;
    private String finishReason;
    private boolean usageSeen;

    ChatToResponsesStreamMapper(ObjectNode request, String provider) {
        super(provider);
        this.request = request;
    }

    @Override
    protected void handle(SseEvent event, JsonNode json, Consumer<SseEvent> out) throws TaasUpstreamException {
        if (readChatChunk(event, json)) {
            usageSeen = true;
        }
        Sink sink = events.to(out);
        start(json, sink);
        JsonNode choice = firstChoice(json.path("choices"));
        if (choice == null) {
            return;
        }
        delta(choice.path("delta"), sink);
        String finish = Json.textOf(choice, "finish_reason");
        if (finish != null) {
            finishReason = finish;
            content = true;
        }
    }

    /** The end of the chat stream: the last item closes and the response is complete. */
    @Override
    protected void onDone(SseEvent event, Consumer<SseEvent> out) {
        Sink sink = events.to(out);
        start(Json.object(), sink); // a stream of nothing but [DONE] still gets a whole response
        closeOpen(sink);
        ObjectNode usageJson = usageSeen ? ResponseUsage.toJson(usage) : null;
        Outcome outcome = Outcome.of(finishReason);
        ObjectNode payload = Json.object();
        payload.set("response", response.build(request, outcome, output.deepCopy(), usageJson));
        sink.emit(outcome.eventType(), payload);
    }

    private void start(JsonNode chunk, Sink sink) {
        if (response != null) {
            return;
        }
        ids = ResponseIds.of(Json.textOf(chunk, "id"));
        response = new ResponseObject(ids.response(), ChatFields.created(chunk), ChatFields.model(chunk, request));
        for (String type : new String[] {"response.created", "response.in_progress"}) {
            ObjectNode payload = Json.object();
            payload.set("response", response.build(request, Outcome.IN_PROGRESS, Json.MAPPER.createArrayNode(), null));
            sink.emit(type, payload);
        }
    }

    private static JsonNode firstChoice(JsonNode choices) {
        for (JsonNode choice : choices) {
            if (choice.path("index").asInt(0) == 0) {
                return choice;
            }
        }
        return null;
    }

    /** Reasoning comes before the text it leads to, and tool calls after it, in one delta as in the stream. */
    private void delta(JsonNode delta, Sink sink) throws TaasUpstreamException {
        text(ChatFields.reasoning(delta), StreamedReasoning.KIND,
                index -> new StreamedReasoning(ids.item("rs_", index), index), sink);
        text(ChatFields.text(delta), StreamedMessage.Part.TEXT.kind(),
                index -> new StreamedMessage(ids.item("msg_", index), index, StreamedMessage.Part.TEXT), sink);
        text(ChatFields.refusal(delta), StreamedMessage.Part.REFUSAL.kind(),
                index -> new StreamedMessage(ids.item("msg_", index), index, StreamedMessage.Part.REFUSAL), sink);
        for (JsonNode call : delta.path("tool_calls")) {
            toolCall(call, sink);
        }
    }

    private void text(String delta, String kind, IntFunction<StreamedItem> item, Sink sink) {
        if (ChatFields.isEmpty(delta)) {
            return;
        }
        content = true;
        itemOf(kind, item, sink).append(delta, sink);
    }

    private void toolCall(JsonNode call, Sink sink) throws TaasUpstreamException {
        content = true;
        int index = callIndex(call);
        String kind = StreamedFunctionCall.kind(index);
        boolean isOpen = open != null && open.kind().equals(kind);
        if (!isOpen && !callIndexes.add(index)) {
            throw UpstreamFailures.streamBroken(provider, Failure.MALFORMED, "sent more of tool call " + index
                    + " after another output had begun", null, content, null);
        }
        JsonNode function = call.path("function");
        StreamedItem item = itemOf(kind, outputIndex -> new StreamedFunctionCall(ids.item("fc_", outputIndex),
                outputIndex, index, callId(call, outputIndex), nameOf(function)), sink);
        String arguments = Json.textOf(function, "arguments");
        if (arguments != null) {
            item.append(arguments, sink);
        }
    }

    /** Chat numbers tool calls; an upstream that does not continues the open call unless a new id starts one. */
    private int callIndex(JsonNode call) {
        JsonNode index = call.get("index");
        if (index != null && index.canConvertToInt()) {
            return index.asInt();
        }
        if (open instanceof StreamedFunctionCall openCall && Json.textOf(call, "id") == null) {
            return openCall.callIndex();
        }
        return callIndexes.size();
    }

    private String callId(JsonNode call, int outputIndex) {
        String id = Json.textOf(call, "id");
        return id != null && !id.isEmpty() ? id : ids.call(outputIndex);
    }

    private static String nameOf(JsonNode function) {
        String name = Json.textOf(function, "name");
        return name != null ? name : "";
    }

    /** The open item if it is of this kind; otherwise the open item closes and a new one opens. */
    private StreamedItem itemOf(String kind, IntFunction<StreamedItem> newItem, Sink sink) {
        if (open != null && open.kind().equals(kind)) {
            return open;
        }
        closeOpen(sink);
        open = newItem.apply(output.size());
        open.open(sink);
        return open;
    }

    private void closeOpen(Sink sink) {
        if (open != null) {
            output.add(open.close(sink));
            open = null;
        }
    }
}
