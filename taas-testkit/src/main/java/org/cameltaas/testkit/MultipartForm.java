package org.cameltaas.testkit;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The fields and files of a multipart/form-data request, copied out of Netty's buffers. */
final class MultipartForm {

    static final MultipartForm EMPTY = new MultipartForm(Map.of(), Map.of(), Map.of());

    private final Map<String, String> fields;
    private final Map<String, byte[]> files;
    private final Map<String, String> fileNames;

    private MultipartForm(Map<String, String> fields, Map<String, byte[]> files, Map<String, String> fileNames) {
        this.fields = fields;
        this.files = files;
        this.fileNames = fileNames;
    }

    /** Parses the request when it is multipart; anything else (or a broken form) gives {@link #EMPTY}. */
    static MultipartForm parse(FullHttpRequest request) {
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return EMPTY;
        }
        HttpPostRequestDecoder decoder = null;
        try {
            // memory only: the fake never touches the disk
            decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), request);
            Map<String, String> fields = new LinkedHashMap<>();
            Map<String, byte[]> files = new LinkedHashMap<>();
            Map<String, String> names = new LinkedHashMap<>();
            for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
                if (data instanceof FileUpload) {
                    FileUpload file = (FileUpload) data;
                    files.put(file.getName(), file.get());
                    names.put(file.getName(), file.getFilename());
                } else if (data instanceof Attribute) {
                    fields.put(data.getName(), ((Attribute) data).getValue());
                }
            }
            return new MultipartForm(Map.copyOf(fields), Map.copyOf(files), Map.copyOf(names));
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException | IOException e) {
            return EMPTY;
        } finally {
            if (decoder != null) {
                decoder.destroy();
            }
        }
    }

    Map<String, String> fields() {
        return fields;
    }

    /** The file's bytes, or null. */
    byte[] file(String name) {
        byte[] bytes = files.get(name);
        return bytes == null ? null : bytes.clone();
    }

    String fileName(String name) {
        return fileNames.get(name);
    }

    /** A field's value, or when the client sent it as a file part, that part's text. */
    String value(String name) {
        String value = fields.get(name);
        if (value == null && files.containsKey(name)) {
            value = new String(files.get(name), StandardCharsets.UTF_8);
        }
        return value;
    }
}
