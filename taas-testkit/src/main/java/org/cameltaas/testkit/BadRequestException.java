package org.cameltaas.testkit;

/** Thrown by a reply builder when the request is one the real provider would reject with 400. */
final class BadRequestException extends RuntimeException {

    private final String param;

    BadRequestException(String message) {
        this(message, null);
    }

    BadRequestException(String message, String param) {
        super(message, null, false, false);
        this.param = param;
    }

    /** The offending request field, reported in OpenAI's error "param". */
    String param() {
        return param;
    }
}
