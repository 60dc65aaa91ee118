package io.netloop.core.sys.linux;

/**
 * Whether the kernel bindings can be used in this JVM, and why not when they cannot.
 *
 * <p>They need Linux, an architecture whose struct layouts this package knows (x86_64,
 * aarch64), and native access enabled for this code ({@code --enable-native-access}).
 * Callers choose the JDK NIO fallback when {@link #unavailableReason()} is non-null.
 *
 * <p>Threading: immutable after class initialisation.
 */
public final class Native {
    private Native() {}

    /** The architecture as the layouts know it. */
    public enum Arch {
        X86_64,
        AARCH64,
        OTHER
    }

    public static final Arch ARCH = switch (System.getProperty("os.arch", "")) {
        case "amd64", "x86_64" -> Arch.X86_64;
        case "aarch64", "arm64" -> Arch.AARCH64;
        default -> Arch.OTHER;
    };

    private static final String REASON = probe();

    /** Null when the bindings work here; otherwise a sentence saying why not and what to do. */
    public static String unavailableReason() {
        return REASON;
    }

    public static boolean isAvailable() {
        return REASON == null;
    }

    private static String probe() {
        if (!System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .contains("linux")) {
            return "epoll needs Linux; this is " + System.getProperty("os.name");
        }
        if (ARCH == Arch.OTHER) {
            return "no struct layouts for architecture " + System.getProperty("os.arch")
                    + " (x86_64 and aarch64 are supported)";
        }
        if (!Native.class.getModule().isNativeAccessEnabled()) {
            return "native access is not enabled: run java with --enable-native-access="
                    + (Native.class.getModule().isNamed()
                            ? Native.class.getModule().getName()
                            : "ALL-UNNAMED");
        }
        try {
            Class.forName("io.netloop.core.sys.linux.Libc", true, Native.class.getClassLoader());
            return null;
        } catch (Throwable t) {
            return "the C library could not be bound: " + t;
        }
    }
}
