package io.routemq.processor;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads annotation values through mirrors (so that class members need no loaded classes), defaults included. */
final class Mirrors {
    private final Elements elements;

    Mirrors(Elements elements) {
        this.elements = elements;
    }

    /** The annotation of that type on the element, or null. */
    static AnnotationMirror find(Element e, String annotationType) {
        for (AnnotationMirror m : e.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(annotationType)) return m;
        }
        return null;
    }

    /** The member's value, its default when not written. */
    AnnotationValue value(AnnotationMirror m, String member) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : elements.getElementValuesWithDefaults(m).entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(member)) return e.getValue();
        }
        throw new IllegalArgumentException("no member " + member + " in " + m);
    }

    /** The member's value as written, or null when the default applies (for positions in messages). */
    static AnnotationValue written(AnnotationMirror m, String member) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : m.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(member)) return e.getValue();
        }
        return null;
    }

    String string(AnnotationMirror m, String member) {
        return (String) value(m, member).getValue();
    }

    int integer(AnnotationMirror m, String member) {
        return ((Number) value(m, member).getValue()).intValue();
    }

    long longValue(AnnotationMirror m, String member) {
        return ((Number) value(m, member).getValue()).longValue();
    }

    boolean bool(AnnotationMirror m, String member) {
        return (Boolean) value(m, member).getValue();
    }

    List<String> strings(AnnotationMirror m, String member) {
        List<String> out = new ArrayList<>();
        for (AnnotationValue v : list(m, member)) out.add((String) v.getValue());
        return out;
    }

    List<TypeMirror> types(AnnotationMirror m, String member) {
        List<TypeMirror> out = new ArrayList<>();
        for (AnnotationValue v : list(m, member)) {
            if (v.getValue() instanceof TypeMirror t) out.add(t);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<? extends AnnotationValue> list(AnnotationMirror m, String member) {
        Object v = value(m, member).getValue();
        return v instanceof List<?> l ? (List<? extends AnnotationValue>) l : List.of(value(m, member));
    }
}
