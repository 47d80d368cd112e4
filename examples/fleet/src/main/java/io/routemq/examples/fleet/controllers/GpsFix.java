package io.routemq.examples.fleet.controllers;

/**
 * One GPS fix of a truck, the JSON payload of {@code fleet/{fleetId}/trucks/{truckId}/gps}:
 * {@code {"lat": 59.33, "lon": 18.06, "speedKmh": 88}}.
 *
 * @param lat      latitude
 * @param lon      longitude
 * @param speedKmh speed in km/h
 */
public record GpsFix(double lat, double lon, double speedKmh) {
}
