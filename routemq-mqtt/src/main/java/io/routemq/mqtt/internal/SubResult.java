package io.routemq.mqtt.internal;

/** The SUBACK answer for one filter. */
record SubResult(boolean granted, int code, String reason) {
}
