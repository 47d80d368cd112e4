package io.routemq.examples.fleet.controllers;

/** A sensor reading, the JSON payload of {@code sensors/{deviceId}/data}: {@code {"temp": 21.5}}. */
public record Reading(double temp) {
}
