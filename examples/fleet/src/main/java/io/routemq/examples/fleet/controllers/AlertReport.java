package io.routemq.examples.fleet.controllers;

/**
 * An alert a truck reports, the JSON payload of {@code fleet/{fleetId}/trucks/{truckId}/alerts}:
 * {@code {"kind": "door", "message": "rear door open"}}.
 *
 * @param kind    what kind of alert (door, engine, ...)
 * @param message what the truck says
 */
public record AlertReport(String kind, String message) {
}
