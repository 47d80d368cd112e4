package io.routemq.examples.fleet;

/**
 * One GPS report of a truck.
 *
 * @param lat      latitude
 * @param lon      longitude
 * @param speedKmh speed in km/h
 */
public record GpsFix(double lat, double lon, double speedKmh) {
}
