package org.cameltaas.gateway.files;

import java.io.InputStream;

/** A stored file's content as a reply body: the HTTP binding streams it to the client from {@code content}. */
public record FileDownload(InputStream content, long length, String contentType, String filename) {
}
