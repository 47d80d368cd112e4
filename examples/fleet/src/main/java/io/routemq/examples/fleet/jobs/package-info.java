/** Background jobs of the app: classes implementing io.routemq.jobs.Job, dispatched with the injected Jobs (RouteMQ docs/jobs.md). */
package io.routemq.examples.fleet.jobs;
