package org.cameltaas.connector.protocol;

/** The tunnel's frame types: the first byte of every frame. */
public enum FrameType {
    /** connector to gateway, stream 0: {@code {tokens, version, deployments?}}. */
    HELLO(1),
    /** gateway to connector, stream 0: {@code {connector_id, deployments: [{id, name, models}]}}. */
    WELCOME(2),
    /** gateway to connector: {@code {deployment, method, path, headers}} opens a stream. */
    REQUEST_HEAD(3),
    REQUEST_BODY(4),
    REQUEST_END(5),
    /** connector to gateway: {@code {status, headers}}. */
    REPLY_HEAD(6),
    REPLY_BODY(7),
    REPLY_END(8),
    /** either way: the stream failed or was given up; payload: a UTF-8 reason. */
    RESET(9),
    /** either way: 4 bytes, more bytes the sender of the WINDOW will take on that stream. */
    WINDOW(10),
    /** either way, stream 0: 8 bytes the other side echoes in a PONG (a nanoTime, for the round-trip time). */
    PING(11),
    PONG(12),
    /** gateway to connector, stream 0: the tunnel is being closed; payload: a UTF-8 reason (e.g. token revoked). */
    GOAWAY(13);

    private static final FrameType[] BY_CODE = new FrameType[16];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @return the type with that code, or null for an unknown one */
    public static FrameType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
