package io.routemq.processor;

import javax.lang.model.element.ExecutableElement;
import java.util.List;

/**
 * One {@code @Topic} method, checked: what the generated route file registers and how it binds the arguments.
 *
 * @param method        the controller method
 * @param handlerName   the name of the generated handler method in the route file
 * @param pattern       the pattern as written
 * @param args          how each argument is bound, in parameter order
 * @param reply         how the return value is replied, or {@link Reply#NONE} for void
 * @param middleware    the middleware classes (canonical names), in order
 * @param sharedGroup   the share group, or null
 * @param attempts      the retry attempts (1 without {@code @Retry})
 * @param redeliver     whether {@code @Redeliver} is present
 */
record RouteModel(ExecutableElement method, String handlerName, String pattern, int qos, List<String> to,
                  List<String> exclude, List<String> middleware, String name, boolean fanout, boolean unordered,
                  boolean nonBlocking, String session, String sharedGroup, int workers, int attempts, long backoffMillis, boolean redeliver,
                  List<Arg> args, Reply reply) {

    /** How the return value goes back: not at all, as bytes, as text, or as JSON (of an object or a primitive). */
    enum Reply { NONE, BYTES, TEXT, JSON, PRIMITIVE }

    /** How one argument is bound. */
    enum Kind { PARAM_STRING, PARAM_INT, PARAM_LONG, PARAM_DOUBLE, PARAM_UUID, CONTEXT, MESSAGE, BYTES, TEXT, JSON_TREE, JSON_CLASS, JSON_GENERIC }

    /**
     * One argument.
     *
     * @param kind  how it is bound
     * @param param the pattern parameter for the PARAM kinds, else null
     * @param type  the Java type as source text, for the JSON kinds
     */
    record Arg(Kind kind, String param, String type) {
    }

    /** The source label of the route: {@code com.acme.Telemetry#gps}. */
    String source(String controller) {
        return controller + "#" + method.getSimpleName();
    }
}
