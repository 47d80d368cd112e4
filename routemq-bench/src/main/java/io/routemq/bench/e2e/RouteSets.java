package io.routemq.bench.e2e;

import io.routemq.core.Handler;
import io.routemq.core.Router;

/**
 * A large, realistic route table around the bench topics, built from a fixed recipe (no randomness):
 * <ul>
 *   <li>literal telemetry routes ({@code site/s3/device/d40/telemetry}) for every 4th bench topic: a quarter of the
 *       messages take a literal route, the rest the parameter route {@code site/{site}/device/{id}/telemetry};</li>
 *   <li>families that share the {@code site/} prefix but never match a telemetry topic: literal device status routes,
 *       per-site config routes with a parameter, gateway catch-alls ({@code site/s7/gateway/g3/#}), machine alarms
 *       with two parameters, device events, building rooms;</li>
 *   <li>last, the fallback {@code site/#}, so the broker sees one subscription, as a gateway with a catch-all has.</li>
 * </ul>
 */
final class RouteSets {
    private RouteSets() {
    }

    /** Adds exactly {@code count} routes (at least 1) to the router, all with the given QoS. */
    static void addRealisticRoutes(Router router, int count, TopicTree tree, Handler telemetry, Handler other, int qos) {
        int added = 0;
        int budget = count - 1; // the fallback
        for (int t = 0; t < tree.size() && added < budget / 4; t += 4) {
            int site = t / tree.devicesPerSite();
            int device = t % tree.devicesPerSite();
            router.on(TopicTree.topic(site, device), telemetry).qos(qos);
            added++;
        }
        for (int i = 0; added < budget; i++, added++) {
            String pattern = switch (i % 6) {
                case 0 -> "site/s" + (i % 5000) + "/device/d" + i + "/status";
                case 1 -> "site/s" + i + "/device/{id}/config";
                case 2 -> "site/s" + i + "/gateway/g" + (i % 97) + "/#";
                case 3 -> "site/{site}/line/l" + i + "/machine/{machine}/alarm";
                case 4 -> "site/s" + (i % 1000) + "/device/d" + i + "/events/{type}";
                default -> "site/s" + (i % 300) + "/building/b" + (i % 50) + "/floor/{floor}/room/r" + i;
            };
            router.on(pattern, other).qos(qos);
        }
        router.on("site/#", other).name("site-fallback").qos(qos);
    }
}
