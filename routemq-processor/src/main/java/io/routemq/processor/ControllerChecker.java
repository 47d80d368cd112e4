package io.routemq.processor;

import io.routemq.core.ErrorPolicy;
import io.routemq.core.InvalidPatternException;
import io.routemq.core.TopicPattern;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a controller and its {@code @Topic} methods and turns them into a {@link ControllerModel}. Every mistake is
 * a compile error at the element (and annotation value) that holds it; a controller with errors yields no model.
 * One checker serves a whole compilation, so that it finds duplicate routes across controllers.
 */
final class ControllerChecker {
    static final String TOPIC = "io.routemq.core.annotation.Topic";
    static final String PARAM = "io.routemq.core.annotation.Param";
    static final String SHARED = "io.routemq.core.annotation.Shared";
    static final String RETRY = "io.routemq.core.annotation.Retry";
    static final String REDELIVER = "io.routemq.core.annotation.Redeliver";

    private final Messager messager;
    private final Types types;
    private final Elements elements;
    private final Mirrors mirrors;
    private final ParameterBinder binder;
    /** Route key (pattern, session, share group, excludes) to the source label of the route that took it. */
    private final Map<String, String> routeKeys = new HashMap<>();
    /** Explicit route names to the source label of the route that took them. */
    private final Map<String, String> routeNames = new HashMap<>();
    private boolean failed;

    ControllerChecker(Messager messager, Types types, Elements elements) {
        this.messager = messager;
        this.types = types;
        this.elements = elements;
        this.mirrors = new Mirrors(elements);
        this.binder = new ParameterBinder(this, types, elements);
    }

    /** The controller's model, or null if it has errors (reported). */
    ControllerModel check(TypeElement type, List<ExecutableElement> methods) {
        failed = false;
        checkClass(type);
        String name = type.getQualifiedName().toString();
        List<RouteModel> routes = new ArrayList<>();
        Set<String> handlerNames = new HashSet<>(Set.of("define"));
        LinkedHashSet<String> middleware = new LinkedHashSet<>();
        for (ExecutableElement m : methods) {
            String handlerName = m.getSimpleName().toString();
            if (!handlerNames.add(handlerName)) {
                handlerName = handlerName + "_" + routes.size();
                handlerNames.add(handlerName);
            }
            RouteModel r = checkMethod(name, m, handlerName);
            if (r != null) {
                routes.add(r);
                middleware.addAll(r.middleware());
            }
        }
        if (failed) return null;
        String pkg = elements.getPackageOf(type).getQualifiedName().toString();
        String binaryName = elements.getBinaryName(type).toString();
        String simple = pkg.isEmpty() ? name : name.substring(pkg.length() + 1);
        return new ControllerModel(type, name, binaryName, pkg, simple.replace('.', '_') + "_Routes", routes,
                List.copyOf(middleware));
    }

    private void checkClass(TypeElement type) {
        if (type.getKind() != ElementKind.CLASS && type.getKind() != ElementKind.RECORD) {
            error(type, "a controller must be a class, but " + type.getSimpleName() + " is " + kindName(type)
                    + "; put the @Topic methods on a class");
            return;
        }
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            error(type, "controller " + type.getSimpleName() + " is abstract; the generated route file calls an instance,"
                    + " so put @Topic methods on a concrete class");
        }
        if (!type.getTypeParameters().isEmpty()) {
            error(type, "controller " + type.getSimpleName() + " has type parameters; a controller must not be generic");
        }
        for (Element e = type; !(e instanceof PackageElement); e = e.getEnclosingElement()) {
            if (!(e instanceof TypeElement t)) {
                error(type, "controller " + type.getSimpleName() + " is a local or anonymous class; make it a top-level or"
                        + " static nested class");
                return;
            }
            if (t.getModifiers().contains(Modifier.PRIVATE)) {
                error(type, "controller " + type.getSimpleName() + (t == type ? " is private" : " is inside the private class "
                        + t.getSimpleName()) + "; the generated route file in the same package must reach it: make it"
                        + " package-private or public");
            }
            if (t.getNestingKind() == NestingKind.MEMBER && t.getKind() == ElementKind.CLASS
                    && !t.getModifiers().contains(Modifier.STATIC) && e.getEnclosingElement().getKind() == ElementKind.CLASS) {
                error(type, "controller " + type.getSimpleName() + " is an inner class; make " + t.getSimpleName() + " static");
            }
        }
    }

    private RouteModel checkMethod(String controller, ExecutableElement m, String handlerName) {
        AnnotationMirror topic = Mirrors.find(m, TOPIC);
        String label = controller + "#" + m.getSimpleName();
        if (m.getModifiers().contains(Modifier.PRIVATE)) {
            error(m, "@Topic method " + m.getSimpleName() + " is private; the generated route file calls it from the same"
                    + " package: make it package-private or public");
        }
        if (m.getModifiers().contains(Modifier.STATIC)) {
            error(m, "@Topic method " + m.getSimpleName() + " is static; routes call a controller instance, so make it an"
                    + " instance method");
        }
        if (!m.getTypeParameters().isEmpty()) {
            error(m, "@Topic method " + m.getSimpleName() + " has type parameters; a @Topic method must not be generic");
        }
        for (TypeMirror t : m.getThrownTypes()) {
            if (!types.isAssignable(t, elements.getTypeElement("java.lang.Exception").asType())
                    && !types.isAssignable(t, elements.getTypeElement("java.lang.Error").asType())) {
                error(m, "@Topic method " + m.getSimpleName() + " declares 'throws " + t + "'; a handler may throw"
                        + " Exception, not Throwable");
            }
        }
        String pattern = mirrors.string(topic, "value");
        TopicPattern parsed;
        try {
            parsed = TopicPattern.parse(pattern);
        } catch (InvalidPatternException e) {
            error(m, topic, mirrors.value(topic, "value"), e.getMessage());
            parsed = null;
        }
        int qos = mirrors.integer(topic, "qos");
        if (qos < 0 || qos > 2) error(m, topic, Mirrors.written(topic, "qos"), "qos must be 0, 1 or 2, got " + qos);
        List<String> to = mirrors.strings(topic, "to");
        Set<String> seenSinks = new HashSet<>();
        for (String s : to) {
            if (s.isBlank()) error(m, topic, Mirrors.written(topic, "to"), "a sink name in 'to' must not be blank");
            else if (!seenSinks.add(s)) error(m, topic, Mirrors.written(topic, "to"), "sink '" + s + "' is named twice in 'to'");
        }
        List<String> exclude = mirrors.strings(topic, "exclude");
        for (String x : exclude) {
            try {
                TopicPattern.parse(x);
            } catch (InvalidPatternException e) {
                error(m, topic, Mirrors.written(topic, "exclude"), "exclude: " + e.getMessage());
            }
        }
        List<String> middleware = new ArrayList<>();
        for (TypeMirror t : mirrors.types(topic, "middleware")) {
            if (t.getKind() != TypeKind.DECLARED) {
                error(m, topic, Mirrors.written(topic, "middleware"), "middleware " + t + " is not a class");
                continue;
            }
            TypeElement te = (TypeElement) types.asElement(t);
            if (te.getModifiers().contains(Modifier.PRIVATE)) {
                error(m, topic, Mirrors.written(topic, "middleware"), "middleware " + te.getSimpleName() + " is private;"
                        + " the generated route file takes an instance of it, so make it package-private or public");
            }
            String mw = te.getQualifiedName().toString();
            if (middleware.contains(mw)) {
                error(m, topic, Mirrors.written(topic, "middleware"), "middleware " + te.getSimpleName() + " is named twice");
            }
            middleware.add(mw);
        }
        String name = mirrors.string(topic, "name");
        String session = mirrors.string(topic, "session");
        String sharedGroup = null;
        int workers = 1;
        AnnotationMirror shared = Mirrors.find(m, SHARED);
        if (shared != null) {
            sharedGroup = mirrors.string(shared, "value");
            workers = mirrors.integer(shared, "workers");
            if (sharedGroup.isEmpty() || sharedGroup.contains("/") || sharedGroup.contains("+") || sharedGroup.contains("#")) {
                error(m, shared, mirrors.value(shared, "value"), "shared group name '" + sharedGroup
                        + "' must be non-empty and must not contain '/', '+' or '#'");
            }
            if (workers < 1) error(m, shared, Mirrors.written(shared, "workers"), "workers must be at least 1, got " + workers);
        }
        int attempts = 1;
        long backoff = 0;
        AnnotationMirror retry = Mirrors.find(m, RETRY);
        if (retry != null) {
            attempts = mirrors.integer(retry, "attempts");
            backoff = mirrors.longValue(retry, "backoffMillis");
            if (attempts < 1) error(m, retry, mirrors.value(retry, "attempts"), "attempts must be at least 1, got " + attempts);
            if (backoff < 0) error(m, retry, Mirrors.written(retry, "backoffMillis"), "backoffMillis must not be negative, got " + backoff);
        }
        boolean redeliver = Mirrors.find(m, REDELIVER) != null;
        boolean fanout = mirrors.bool(topic, "fanout");
        boolean nonBlocking = mirrors.bool(topic, "nonBlocking");
        // the policy the generated code builds, asked as the Route asks it: one rule for both
        if (nonBlocking && retry != null && attempts >= 1 && backoff >= 0
                && new ErrorPolicy(attempts, Duration.ofMillis(backoff), !redeliver).pauses()) {
            error(m, retry, Mirrors.written(retry, "backoffMillis"), "a nonBlocking route runs on the thread that received"
                    + " the message, where a retry must not pause: set backoffMillis = 0, or drop nonBlocking");
        }

        List<RouteModel.Arg> args = parsed == null ? List.of() : binder.bind(m, parsed);
        RouteModel.Reply reply = binder.reply(m);

        if (parsed != null && !fanout) {
            // parameter names do not change what a pattern matches: compare the MQTT filters
            String key = parsed.toFilter() + "\u0000" + session + "\u0000" + sharedGroup + "\u0000" + new TreeSet<>(exclude);
            String prev = routeKeys.putIfAbsent(key, label + " ('" + pattern + "')");
            if (prev != null) {
                error(m, topic, mirrors.value(topic, "value"), "duplicate route: '" + pattern + "' matches the same topics as "
                        + prev + "; a pattern takes one handler per session and share group (set fanout = true on one"
                        + " of them to run both)");
            }
        }
        if (!name.isEmpty()) {
            String prev = routeNames.putIfAbsent(name, label);
            if (prev != null) error(m, topic, Mirrors.written(topic, "name"), "duplicate route name '" + name + "': "
                    + prev + " uses it too; names must be unique");
        }
        return new RouteModel(m, handlerName, pattern, qos, to, exclude, middleware, name, fanout,
                mirrors.bool(topic, "unordered"), nonBlocking, session, sharedGroup, workers, attempts, backoff, redeliver,
                args, reply);
    }

    void error(Element e, String message) {
        failed = true;
        messager.printMessage(Diagnostic.Kind.ERROR, message, e);
    }

    void error(Element e, AnnotationMirror a, AnnotationValue v, String message) {
        failed = true;
        if (v != null) messager.printMessage(Diagnostic.Kind.ERROR, message, e, a, v);
        else messager.printMessage(Diagnostic.Kind.ERROR, message, e, a);
    }

    private static String kindName(TypeElement t) {
        return switch (t.getKind()) {
            case INTERFACE -> "an interface";
            case ENUM -> "an enum";
            case RECORD -> "a record";
            case ANNOTATION_TYPE -> "an annotation";
            default -> "a " + t.getKind().name().toLowerCase();
        };
    }
}
