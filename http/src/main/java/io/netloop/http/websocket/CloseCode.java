package io.netloop.http.websocket;

/**
 * Status codes of close frames (RFC 6455 §7.4) and which of them may travel on the wire.
 *
 * <p>Threading: constants.
 */
public final class CloseCode {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    /** Never sent: a close frame without a code is reported as this. */
    public static final int NO_STATUS = 1005;
    /** Never sent: the connection ended without a close frame. */
    public static final int ABNORMAL = 1006;

    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int MANDATORY_EXTENSION = 1010;
    public static final int INTERNAL_ERROR = 1011;

    private CloseCode() {}

    /**
     * Whether a close frame may carry {@code code}: the defined codes 1000-1003 and 1007-1011
     * (1012-1014 are registered with IANA since), and 3000-4999 for libraries and applications.
     * 1004, 1005, 1006, 1015 and anything else are refused with 1002 (§7.4.1).
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
