package io.routemq.server.app;

import io.avaje.inject.BeanScope;
import io.routemq.jobs.Job;
import io.routemq.jobs.JobFactory;
import jakarta.inject.Inject;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Makes an application's jobs on its workers: binds the job's JSON (its state), then fills its fields annotated
 * {@code @Inject} (jakarta.inject; mark them {@code transient} so they are not part of the state) with beans of the
 * app's scope: the same components, Redis, database and {@code Jobs} that controllers get.
 */
final class ScopeJobFactory implements JobFactory {
    private final BeanScope scope;

    ScopeJobFactory(BeanScope scope) {
        this.scope = scope;
    }

    @Override
    public Job create(Class<? extends Job> type, JsonNode data, ObjectMapper json) throws Exception {
        Job job = json.treeToValue(data, type);
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
}
