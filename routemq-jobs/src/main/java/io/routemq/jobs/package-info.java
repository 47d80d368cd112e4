/**
 * Background jobs: {@link io.routemq.jobs.Job} (a record or class with {@code handle()}), {@link io.routemq.jobs.Jobs}
 * to dispatch them (from a handler, the message's ack waits until the job is stored), {@link io.routemq.jobs.JobWorkers}
 * to run them, and the stores behind {@link io.routemq.jobs.JobStore}: local (embedded), redis (streams) and database
 * (PostgreSQL, MariaDB), chosen by {@link io.routemq.jobs.JobsConfig} (the {@code jobs:} section). See docs/jobs.md.
 */
package io.routemq.jobs;
