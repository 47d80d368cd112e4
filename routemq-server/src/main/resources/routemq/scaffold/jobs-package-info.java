/** Background jobs of the app (RouteMQ jobs: to come). */
package @package@.jobs;
