/**
 * Runnable examples: {@link io.gatehouse.examples.DemoServer}, a small site on embedded Jetty behind
 * the Gatehouse filter, and {@link io.gatehouse.examples.SampleSiteServlet}, the site it serves.
 */
package io.gatehouse.examples;
