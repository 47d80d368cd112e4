package io.routemq.jobs;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns a stored job's JSON back into a {@link Job} on the worker: the seam where an application's dependency
 * injection fills the job's dependencies. The {@linkplain #DEFAULT default} binds the JSON with Jackson (a record's
 * canonical constructor, or a class's public no-arg constructor and fields).
 */
@FunctionalInterface
public interface JobFactory {

    /** Binds the JSON with the jobs' mapper; nothing is injected. */
    JobFactory DEFAULT = (type, data, json) -> json.treeToValue(data, type);

    /**
     * @param type the job's class, as stored (already checked to be a {@link Job})
     * @param data the job's JSON form
     * @param json the mapper the job was written with
     * @return the job, ready to {@link Job#handle() run}
     * @throws Exception when it cannot be made: the job goes to the failed jobs with this as the reason
     */
    Job create(Class<? extends Job> type, JsonNode data, ObjectMapper json) throws Exception;
}
