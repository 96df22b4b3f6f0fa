package org.cameltaas.component;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;
import org.cameltaas.component.http.SseEvent;

/**
 * Turns a {@link TaasStream} body into the text it carries, without holding a thread while it flows: the exchange
 * continues when the stream ends, with the text as body and the usage headers set. For routes that stream to get
 * the first-token time-out and fallback of streams, but need the whole answer. Other bodies pass unchanged.
 * <p>
 * YAML: {@code - process: { ref: "#class:org.cameltaas.component.TaasStreamCollector" }}
 */
public class TaasStreamCollector extends AsyncProcessorSupport {

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        if (!(exchange.getMessage().getBody() instanceof TaasStream stream)) {
            callback.done(true);
            return true;
        }
        StringBuilder text = new StringBuilder();
        stream.subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(32);
            }

            @Override
            public void onNext(SseEvent event) {
                appendText(event, text);
                subscription.request(1);
            }

            @Override
            public void onError(Throwable error) {
                exchange.setException(error);
                callback.done(false);
            }

            @Override
            public void onComplete() {
                CompletableFuture<TaasStream.Result> completion = stream.completion();
                TaasUsage usage = completion.isDone() ? completion.join().usage() : stream.usage();
                Message message = exchange.getMessage();
                message.setBody(text.toString());
                message.setHeader(Exchange.CONTENT_TYPE, "text/plain");
                message.setHeader(TaasConstants.STREAMING, false);
                message.setHeader(TaasConstants.USAGE, usage);
                message.setHeader(TaasConstants.PROMPT_TOKENS, usage.promptTokens());
                message.setHeader(TaasConstants.COMPLETION_TOKENS, usage.completionTokens());
                message.setHeader(TaasConstants.TOTAL_TOKENS, usage.totalTokens());
                callback.done(false);
            }
        });
        return false;
    }

    /** The text delta of a Chat, Responses or Messages event (first choice only for Chat). */
    static void appendText(SseEvent event, StringBuilder text) {
        if (event.isDone()) {
            return;
        }
        try {
            JsonNode json = event.json();
            String type = json.path("type").asText("");
            if (type.equals("response.output_text.delta")) {
                text.append(json.path("delta").asText(""));
            } else if (type.equals("content_block_delta")) {
                text.append(json.path("delta").path("text").asText(""));
            } else if (json.has("choices")) {
                text.append(json.path("choices").path(0).path("delta").path("content").asText(""));
            }
        } catch (Exception e) {
            // the stream already validated its JSON; nothing to add from an event without text
        }
    }
}
