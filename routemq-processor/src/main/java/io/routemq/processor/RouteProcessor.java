package io.routemq.processor;

import io.routemq.core.annotation.RouteIndex;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The RouteMQ annotation processor. For each controller (a class with {@code @Topic} methods) it checks the methods
 * and generates a route file {@code <Controller>_Routes} that binds them with plain code; for the whole compilation
 * it writes the route index {@value RouteIndex#RESOURCE} ({@link RouteIndex}): every concrete
 * {@code io.routemq.core.Routes} class and every controller with its route file. When only some sources are
 * recompiled, the entries of the existing index whose classes are not in the compilation and still exist are
 * kept. Put it on the processor path of an application (with {@code -proc:full} on JDK 23+); docs/routing.md has the
 * rules and the format.
 */
@SupportedAnnotationTypes("*")
public final class RouteProcessor extends AbstractProcessor {
    private static final String ROUTES = "io.routemq.core.Routes";
    private static final String CONTROLLER = "io.routemq.core.annotation.Controller";
    private static final String GENERATED = "javax.annotation.processing.Generated";

    private Elements elements;
    private Types types;
    private ControllerChecker checker;
    private final Set<String> routes = new TreeSet<>();
    private final Map<String, String> controllers = new TreeMap<>();
    /** Binary names of every type in the compilation: their old index entries are replaced, not kept. */
    private final Set<String> seenTypes = new HashSet<>();
    private final List<Element> originating = new ArrayList<>();

    /** Created by javac through the service loader. */
    public RouteProcessor() {
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        elements = env.getElementUtils();
        types = env.getTypeUtils();
        checker = new ControllerChecker(env.getMessager(), types, elements);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (round.processingOver()) {
            writeIndex();
            return false;
        }
        TypeElement routesType = elements.getTypeElement(ROUTES);
        for (Element root : round.getRootElements()) {
            if (root instanceof TypeElement t) collect(t, routesType);
        }
        TypeElement topic = elements.getTypeElement(ControllerChecker.TOPIC);
        if (topic == null) return false;
        Map<TypeElement, List<ExecutableElement>> byClass = new LinkedHashMap<>();
        for (Element e : round.getElementsAnnotatedWith(topic)) {
            if (e.getKind() == ElementKind.METHOD) {
                byClass.computeIfAbsent((TypeElement) e.getEnclosingElement(), k -> new ArrayList<>()).add((ExecutableElement) e);
            }
        }
        for (Map.Entry<TypeElement, List<ExecutableElement>> c : byClass.entrySet()) {
            ControllerModel model = checker.check(c.getKey(), c.getValue());
            if (model != null) generate(model);
        }
        TypeElement controller = elements.getTypeElement(CONTROLLER);
        if (controller != null) {
            for (Element e : round.getElementsAnnotatedWith(controller)) {
                if (!byClass.containsKey(e)) {
                    processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING, "@Controller " + e.getSimpleName()
                            + " has no @Topic methods, so no routes are generated for it", e);
                }
            }
        }
        return false;
    }

    private void collect(TypeElement t, TypeElement routesType) {
        seenTypes.add(elements.getBinaryName(t).toString());
        if (routesType != null && isRoutesClass(t, routesType)) {
            routes.add(elements.getBinaryName(t).toString());
            originating.add(t);
        }
        for (Element e : t.getEnclosedElements()) {
            if (e instanceof TypeElement nested) collect(nested, routesType);
        }
    }

    private boolean isRoutesClass(TypeElement t, TypeElement routesType) {
        if (t.getKind() != ElementKind.CLASS && t.getKind() != ElementKind.RECORD) return false;
        Set<Modifier> mods = t.getModifiers();
        if (mods.contains(Modifier.ABSTRACT) || mods.contains(Modifier.PRIVATE)) return false;
        if (t.getEnclosingElement() instanceof TypeElement outer && !mods.contains(Modifier.STATIC)
                && outer.getKind() == ElementKind.CLASS && t.getKind() == ElementKind.CLASS) {
            return false;
        }
        if (!types.isAssignable(types.erasure(t.asType()), types.erasure(routesType.asType()))) return false;
        return !generatedHere(t);
    }

    private static boolean generatedHere(TypeElement t) {
        AnnotationMirror g = Mirrors.find(t, GENERATED);
        if (g == null) return false;
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : g.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals("value") && e.getValue().toString().contains(RouteProcessor.class.getName())) {
                return true;
            }
        }
        return false;
    }

    private void generate(ControllerModel model) {
        controllers.put(model.binaryName(), model.binderBinaryName());
        originating.add(model.type());
        try {
            FileObject file = processingEnv.getFiler().createSourceFile(model.binderBinaryName(), model.type());
            try (Writer w = file.openWriter()) {
                w.write(BinderWriter.write(model));
            }
        } catch (FilerException e) {
            // the route file is already part of this compilation (a generated source given back as input): keep it
            processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, "route file " + model.binderBinaryName()
                    + " exists already: " + e.getMessage(), model.type());
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "cannot write the route file "
                    + model.binderBinaryName() + ": " + e.getMessage(), model.type());
        }
    }

    private void writeIndex() {
        RouteIndex old = readIndex();
        List<RouteIndex.ControllerEntry> entries = new ArrayList<>();
        controllers.forEach((c, b) -> entries.add(new RouteIndex.ControllerEntry(c, b)));
        RouteIndex fresh = new RouteIndex(new ArrayList<>(routes), entries);
        if (old != null) {
            List<String> keptRoutes = old.routes().stream().filter(this::keep).toList();
            List<RouteIndex.ControllerEntry> keptControllers = old.controllers().stream().filter(c -> keep(c.controller())).toList();
            fresh = fresh.merge(new RouteIndex(keptRoutes, keptControllers));
        } else if (fresh.isEmpty()) {
            return;
        }
        try {
            FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", RouteIndex.RESOURCE,
                    originating.toArray(Element[]::new));
            try (Writer w = file.openWriter()) {
                w.write(fresh.format());
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "cannot write " + RouteIndex.RESOURCE + ": " + e.getMessage());
        }
    }

    /** Whether an entry of the existing index survives: its class is not in this compilation and still exists. */
    private boolean keep(String binaryName) {
        return !seenTypes.contains(binaryName) && elements.getTypeElement(binaryName.replace('$', '.')) != null;
    }

    /** The index an earlier compilation left in the class output, or null. */
    private RouteIndex readIndex() {
        try {
            FileObject file = processingEnv.getFiler().getResource(StandardLocation.CLASS_OUTPUT, "", RouteIndex.RESOURCE);
            CharSequence text = file.getCharContent(true);
            return RouteIndex.parse(text.toString(), file.toUri().toString());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        } catch (IllegalStateException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING, "ignoring the existing route index: " + e.getMessage());
            return null;
        }
    }
}
