package io.routemq.processor;

import io.routemq.core.TopicPattern;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides how each parameter of a {@code @Topic} method is bound, and how its return value is replied:
 * <ul>
 *   <li>{@code @Param} {@code String}, {@code int}/{@code Integer}, {@code long}/{@code Long},
 *       {@code double}/{@code Double}, {@code UUID}: the pattern parameter, converted;</li>
 *   <li>{@code Context}, {@code Message}: the message's context and the message;</li>
 *   <li>at most one payload: {@code byte[]}, {@code String} (UTF-8), {@code JsonNode} (the parsed tree), or any other
 *       declared type, read from JSON by Jackson ({@code ctx.json(Type.class)}, or a {@code TypeReference} for a
 *       generic type).</li>
 * </ul>
 */
final class ParameterBinder {
    private static final String CONTEXT = "io.routemq.core.Context";
    private static final String MESSAGE = "io.routemq.core.Message";
    private static final String JSON_NODE = "tools.jackson.databind.JsonNode";

    private final ControllerChecker checker;
    private final Types types;
    private final Elements elements;
    private final Mirrors mirrors;

    ParameterBinder(ControllerChecker checker, Types types, Elements elements) {
        this.checker = checker;
        this.types = types;
        this.elements = elements;
        this.mirrors = new Mirrors(elements);
    }

    List<RouteModel.Arg> bind(ExecutableElement m, TopicPattern pattern) {
        List<RouteModel.Arg> args = new ArrayList<>();
        VariableElement payload = null;
        List<String> bound = new ArrayList<>();
        for (VariableElement p : m.getParameters()) {
            TypeMirror t = p.asType();
            String javaName = p.getSimpleName().toString();
            AnnotationMirror param = Mirrors.find(p, ControllerChecker.PARAM);
            if (param != null) {
                String name = mirrors.string(param, "value");
                if (name.isEmpty()) name = javaName;
                if (!pattern.paramNames().contains(name)) {
                    checker.error(p, param, Mirrors.written(param, "value"), "@Param '" + name + "' is not a parameter of '"
                            + pattern.pattern() + "'; " + paramsOf(pattern));
                    continue;
                }
                if (bound.contains(name)) {
                    checker.error(p, param, Mirrors.written(param, "value"), "@Param '" + name + "' is bound twice");
                }
                bound.add(name);
                RouteModel.Kind kind = paramKind(t);
                if (kind == null) {
                    checker.error(p, "@Param " + javaName + " has type " + t + "; a @Param is a String, int, long, double or"
                            + " UUID (or Integer, Long, Double)");
                    continue;
                }
                args.add(new RouteModel.Arg(kind, name, null));
                continue;
            }
            RouteModel.Kind kind = otherKind(t);
            if (kind == null) {
                String hint = pattern.paramNames().contains(javaName)
                        ? "; the pattern has {" + javaName + "}: annotate it @Param" : "; bind it with @Param or take it from the Context";
                checker.error(p, "parameter " + javaName + " has type " + t + ", which a @Topic method cannot take as its"
                        + " payload" + hint);
                continue;
            }
            if (kind == RouteModel.Kind.CONTEXT || kind == RouteModel.Kind.MESSAGE) {
                args.add(new RouteModel.Arg(kind, null, null));
                continue;
            }
            if (kind == RouteModel.Kind.TEXT && pattern.paramNames().contains(javaName)) {
                checker.error(p, "parameter " + javaName + " is a String without @Param, so it would receive the payload;"
                        + " the pattern has {" + javaName + "}: annotate it @Param, or rename it to take the payload");
                continue;
            }
            if (payload != null) {
                checker.error(p, "parameters " + payload.getSimpleName() + " and " + javaName + " both take the payload; a"
                        + " @Topic method has at most one payload parameter (byte[], String, JsonNode or a type read from JSON)");
                continue;
            }
            payload = p;
            args.add(new RouteModel.Arg(kind, null, kind == RouteModel.Kind.JSON_CLASS
                    ? ((TypeElement) types.asElement(t)).getQualifiedName().toString() : t.toString()));
        }
        return args;
    }

    RouteModel.Reply reply(ExecutableElement m) {
        TypeMirror r = m.getReturnType();
        if (r.getKind() == TypeKind.VOID) return RouteModel.Reply.NONE;
        if (isBytes(r)) return RouteModel.Reply.BYTES;
        if (r.getKind().isPrimitive()) return RouteModel.Reply.PRIMITIVE;
        if (is(r, "java.lang.String")) return RouteModel.Reply.TEXT;
        return RouteModel.Reply.JSON;
    }

    private RouteModel.Kind paramKind(TypeMirror t) {
        return switch (t.getKind()) {
            case INT -> RouteModel.Kind.PARAM_INT;
            case LONG -> RouteModel.Kind.PARAM_LONG;
            case DOUBLE -> RouteModel.Kind.PARAM_DOUBLE;
            case DECLARED -> {
                if (is(t, "java.lang.String")) yield RouteModel.Kind.PARAM_STRING;
                if (is(t, "java.lang.Integer")) yield RouteModel.Kind.PARAM_INT;
                if (is(t, "java.lang.Long")) yield RouteModel.Kind.PARAM_LONG;
                if (is(t, "java.lang.Double")) yield RouteModel.Kind.PARAM_DOUBLE;
                if (is(t, "java.util.UUID")) yield RouteModel.Kind.PARAM_UUID;
                yield null;
            }
            default -> null;
        };
    }

    private RouteModel.Kind otherKind(TypeMirror t) {
        if (isBytes(t)) return RouteModel.Kind.BYTES;
        if (t.getKind() != TypeKind.DECLARED) return null;
        if (is(t, CONTEXT)) return RouteModel.Kind.CONTEXT;
        if (is(t, MESSAGE)) return RouteModel.Kind.MESSAGE;
        if (is(t, "java.lang.String")) return RouteModel.Kind.TEXT;
        if (is(t, JSON_NODE)) return RouteModel.Kind.JSON_TREE;
        TypeElement e = (TypeElement) types.asElement(t);
        String q = e.getQualifiedName().toString();
        // boxed primitives and the like are parameters the user forgot to annotate, not payloads
        if (q.startsWith("java.lang.") && !q.equals("java.lang.Object")) return null;
        if (q.equals("java.util.UUID")) return null;
        DeclaredType d = (DeclaredType) t;
        for (TypeMirror a : d.getTypeArguments()) {
            if (a.getKind() == TypeKind.WILDCARD || a.getKind() == TypeKind.TYPEVAR) return null;
        }
        return d.getTypeArguments().isEmpty() ? RouteModel.Kind.JSON_CLASS : RouteModel.Kind.JSON_GENERIC;
    }

    private boolean isBytes(TypeMirror t) {
        return t.getKind() == TypeKind.ARRAY && ((ArrayType) t).getComponentType().getKind() == TypeKind.BYTE;
    }

    private boolean is(TypeMirror t, String qualifiedName) {
        TypeElement e = elements.getTypeElement(qualifiedName);
        return e != null && types.isSameType(types.erasure(t), types.erasure(e.asType()));
    }

    private static String paramsOf(TopicPattern p) {
        return p.paramNames().isEmpty() ? "it has no parameters" : "its parameters are " + p.paramNames();
    }
}
