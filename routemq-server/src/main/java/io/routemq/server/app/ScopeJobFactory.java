package io.routemq.server.app;

import io.avaje.inject.BeanScope;
import io.routemq.jobs.Job;
import io.routemq.jobs.JobFactory;
import jakarta.inject.Inject;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.InjectableValues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Makes an application's jobs on its workers from the app's scope (the same components, Redis, database and
 * {@code Jobs} that controllers get): binds the job's JSON (its state), with Jackson's {@code @JacksonInject}
 * constructor parameters and fields taken from the scope by their type (a record's dependency: a component marked
 * {@code @JacksonInject @JsonIgnore}), then fills its fields annotated {@code @Inject} (jakarta.inject; mark them
 * {@code transient} so they are not part of the state).
 */
final class ScopeJobFactory implements JobFactory {
    private final BeanScope scope;

    ScopeJobFactory(BeanScope scope) {
        this.scope = scope;
    }

    @Override
    public Job create(Class<? extends Job> type, JsonNode data, ObjectMapper json) throws Exception {
        Job job = json.readerFor(type).with(new ScopeValues()).readValue(data);
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!f.isAnnotationPresent(Inject.class)) continue;
                if (Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
                    throw new IllegalStateException("job " + type.getName() + ": the @Inject field '" + f.getName()
                            + "' must be neither static nor final (make it a transient instance field)");
                }
                Object bean = scope.getOptional(f.getType()).orElseThrow(() -> new IllegalStateException("job " + type.getName()
                        + ": the @Inject field '" + f.getName() + "' takes " + f.getType().getName()
                        + ", which is not a component of the app (annotate it with @Singleton)"));
                f.setAccessible(true);
                f.set(job, bean);
            }
        }
        return job;
    }

    /** {@code @JacksonInject} values: the scope's bean of the property's type. */
    private final class ScopeValues extends InjectableValues {
        @Override
        public Object findInjectableValue(DeserializationContext ctxt, Object valueId, BeanProperty forProperty, Object beanInstance,
                                          Boolean optional, Boolean useInput) {
            Class<?> type = forProperty != null ? forProperty.getType().getRawClass() : null;
            if (type == null) throw new IllegalStateException("@JacksonInject value '" + valueId + "' has no type to look up");
            return scope.getOptional(type).orElseThrow(() -> new IllegalStateException("the @JacksonInject "
                    + (forProperty.getName().isEmpty() ? "parameter" : "'" + forProperty.getName() + "'") + " takes " + type.getName()
                    + ", which is not a component of the app (annotate it with @Singleton)"));
        }

        @Override
        public InjectableValues snapshot() {
            return this;
        }
    }
}
